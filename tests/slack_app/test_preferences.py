"""Each person chooses where requests reach them; the page says whether Slack found them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import NotifyVia

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_needs_a_sign_in(client):
    response = client.get("/settings/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_matched_owner_defaults_to_both_and_may_choose_slack_only(slack, sales):
    client = signed_in(sales)
    page = client.get("/settings/").content.decode()
    assert "Your Slack account was found by your email address" in page
    assert 'value="both" required id="id_notify_via_0" checked' in page
    response = client.post("/settings/", {"notify_via": "slack"}, follow=True)
    assert "Saved: Slack only." in response.content.decode()
    sales.refresh_from_db()
    assert sales.notify_via == NotifyVia.SLACK


def test_a_choice_that_does_not_exist_is_refused_and_nothing_changes(slack, sales):
    response = signed_in(sales).post("/settings/", {"notify_via": "carrier-pigeon"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    sales.refresh_from_db()
    assert sales.notify_via == NotifyVia.BOTH


def test_posting_needs_the_csrf_token(slack, sales):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sales)
    assert client.post("/settings/", {"notify_via": "email"}).status_code == 403


def test_without_the_app_the_page_says_everything_comes_by_email(sales):
    page = signed_in(sales).get("/settings/").content.decode()
    assert "The Slack app is not installed here" in page
    assert "Look me up in Slack again" not in page


def test_looking_oneself_up_again(slack, cs):
    client = signed_in(cs)
    response = client.post("/settings/slack-lookup/", follow=True)
    assert "No Slack account uses cs@example.com" in response.content.decode()
    slack.people[cs.email] = "U0CS"
    response = client.post("/settings/slack-lookup/", follow=True)
    assert "Found you in Slack" in response.content.decode()
    cs.refresh_from_db()
    assert cs.slack_user_id == "U0CS"


def test_the_page_costs_the_same_queries_for_anyone(slack, sales, cs):
    counts = []
    for person in (sales, cs):
        client = signed_in(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/settings/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
