from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import Account, Department, User
from interviews.models import Candidate


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    department = Department.MARKETING
    language = "en"
    time_zone = "Asia/Tokyo"
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Customer {n} KK")
    crm_id = factory.Sequence(lambda n: f"CRM-{n:05d}")
    domain = factory.Sequence(lambda n: f"customer{n}.example.jp")
    owner = factory.SubFactory(UserFactory, department=Department.SALES)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    account = factory.SubFactory(AccountFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example.jp")
    title = "Head of Operations"
