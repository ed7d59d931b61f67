"""API clients signed in with a token per role, and requests in the states the tests need."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Department
from interviews import workflow
from interviews.models import InterviewRequest
from tests.conftest import MONDAY_10AM
from tests.factories import AccountFactory, CandidateFactory, UserFactory


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(db):
    """api(user) is a client authenticated with that person's token; api(None) is anonymous."""

    def _client(user=None) -> APIClient:
        return APIClient() if user is None else token_client(user)

    return _client


@pytest.fixture
def other_sales(db):
    return UserFactory(email="sales2@example.com", name="Suzuki Sales", department=Department.SALES)


@pytest.fixture
def outsider(db):
    """Signed in, but neither marketer, owner nor manager (e.g. finance)."""
    return UserFactory(
        email="finance@example.com", name="Fumi Finance", department=Department.OTHER
    )


@pytest.fixture
def interview(clock, file_request) -> InterviewRequest:
    """A request waiting for Sato Sales, filed by Mai Marketer on Monday 10:00."""
    return file_request()


@pytest.fixture
def other_interview(clock, marketer, other_sales) -> InterviewRequest:
    """A request for another owner's account (Sato Sales may not see it)."""
    account = AccountFactory(name="Beta GK", owner=other_sales)
    person = CandidateFactory(account=account, name="Ito Ken")
    return workflow.request_file(
        by=marketer,
        account=account,
        candidates=[person],
        purpose="research",
        topic="Why Beta chose us",
        questions="What else did you consider?",
    )


def in_outreach(interview: InterviewRequest, owner) -> InterviewRequest:
    return workflow.request_owner_go_ahead(request_id=interview.pk, by=owner)


def scheduled(interview: InterviewRequest, owner, marketer) -> InterviewRequest:
    """Scheduled for an hour ago: the interview took place, its outcome may be recorded."""
    in_outreach(interview, owner)
    return workflow.request_schedule(
        request_id=interview.pk, by=marketer, interview_at=MONDAY_10AM - dt.timedelta(hours=1)
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app directly: without this, Django's request_started
    handler would close the test's database connection once it is CONN_MAX_AGE old, in
    the middle of the test's transaction (Django's test client disconnects it the same way)."""
    from django.core.signals import request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
