"""Password reset cannot flood a colleague's inbox: emails are throttled per account asked
for and per client address, with the same answer as always (nobody learns whether an
address has an account, or whether the request was throttled)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = 3
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 20


def ask(client, email, **extra):
    response = client.post(reverse("password_reset"), {"email": email}, **extra)
    return response.status_code, response["Location"]


def test_twenty_five_requests_for_one_colleague_send_three_emails(client, clock, marketer):
    answers = {ask(Client(), marketer.email, REMOTE_ADDR=f"10.0.0.{n}") for n in range(25)}
    assert answers == {(302, reverse("password_reset_done"))}  # always the same answer
    assert len(mail.outbox) == 3 and {m.to[0] for m in mail.outbox} == {marketer.email}


def test_the_account_count_ignores_letter_case(client, clock, marketer):
    for variant in ("MARKETER@example.com", "Marketer@Example.com", "marketer@example.com "):
        ask(client, variant)
    ask(client, marketer.email)
    assert len(mail.outbox) == 3


def test_an_unknown_address_answers_the_same_before_and_after_its_limit(client, clock):
    answers = {ask(client, "nobody@example.com") for _ in range(5)}
    assert answers == {(302, reverse("password_reset_done"))}
    assert mail.outbox == []


def test_one_address_asking_for_many_accounts_is_throttled(client, clock, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 4
    people = [UserFactory(email=f"p{n}@example.com") for n in range(6)]
    for person in people:
        assert ask(client, person.email)[1] == reverse("password_reset_done")
    assert len(mail.outbox) == 4
    # Someone else, elsewhere, is not held up.
    ask(Client(), people[5].email, REMOTE_ADDR="10.9.9.9")
    assert mail.outbox[-1].to == [people[5].email]


def test_the_limit_lifts_after_the_hour(client, clock, marketer, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.password_reset"):
        for _ in range(5):
            ask(client, marketer.email)
    assert len(mail.outbox) == 3
    throttled = [r for r in caplog.records if "throttled" in r.getMessage()]
    assert len(throttled) == 2 and marketer.email not in caplog.text
    clock.shift(dt.timedelta(hours=1, minutes=1))
    ask(client, marketer.email)
    assert len(mail.outbox) == 4
