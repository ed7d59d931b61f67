"""What a newcomer does first: load the demo, sign in as the demo marketer, file a request
for an account that is free to ask, and follow it on its page and in the list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Account
from interviews import demo_data, workflow
from interviews.models import InterviewRequest
from tests.conftest import TOKYO

pytestmark = pytest.mark.django_db


def test_the_demo_marketer_files_and_follows_a_request(client):
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO), tick=False):
        demo_data.load_demo_data()
        assert client.login(
            request=HttpRequest(), email="marketer@example.com", password=demo_data.DEMO_PASSWORD
        )
        free = [
            a
            for a in Account.objects.select_related("owner").order_by("name")
            if not (
                (policy := workflow.filing_policy(a)).blocked_by_open_request
                or policy.sensitive_until
                or policy.in_cooldown
            )
        ]
        assert free, "the demo has accounts a marketer may ask about"
        account = free[0]
        person = account.candidates.first()

        page = client.get(
            reverse("request_new"), {"account": account.pk}, HTTP_HX_REQUEST="true"
        ).content.decode()
        assert account.owner.name in page

        response = client.post(
            reverse("request_new"),
            {
                "_action": "file",
                "account": account.pk,
                "previewed_account": account.pk,
                "candidates": [person.pk],
                "purpose": "case_study",
                "topic": "A first request from the demo",
                "questions": "What changed for you?",
                "response_window_days": 5,
            },
        )
        assert response.status_code == 302
        request = InterviewRequest.objects.get(topic="A first request from the demo")
        page = client.get(response["Location"]).content.decode()
        assert 'lang="ja"' in page  # the demo marketer works in Japanese
        assert "A first request from the demo" in page and account.owner.name in page
        listing = client.get(reverse("home"), {"q": "first request"}).content.decode()
        assert reverse("request_detail", args=[request.pk]) in listing
