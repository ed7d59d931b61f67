"""The dashboard costs a constant number of queries, whatever the amount of data."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, Department, User
from interviews import calendar
from interviews.models import (
    EventKind,
    InterviewRequest,
    Outreach,
    Purpose,
    ReasonCategory,
    RequestEvent,
    Status,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
# The page's snapshot (a savepoint inside the test's transaction, its settings): statements
# that read no data, not counted against the page.
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "SET ")


def _seed(count: int, marketer: User, owners: list[User], manager: User) -> None:
    """`count` requests in every state, spread over 20 weeks, with their key events."""
    now = timezone.now()
    first = Account.objects.count()
    accounts = Account.objects.bulk_create(
        Account(name=f"Bulk {i}", crm_id=f"BULK-{i}", owner=owners[i % len(owners)])
        for i in range(first, first + count)
    )
    statuses = itertools.cycle(Status.values)
    requests = []
    for i, account in enumerate(accounts):
        status = next(statuses)
        created = now - dt.timedelta(hours=7 * i + 3)
        owner = account.owner
        fields = {}
        if status in (Status.AWAITING_OWNER, Status.OWNER_OUTREACH):
            fields["response_due_at"] = calendar.deadline_after(created, 5)
            fields["window_started_at"] = created
        if status == Status.DEFERRED:
            fields["wake_at"] = now + dt.timedelta(days=3)
            fields["deferral_count"] = 1 + i % 2
        if status not in (Status.AWAITING_OWNER, Status.DEFERRED, Status.CANCELLED):
            fields["owner_responded_at"] = created + dt.timedelta(hours=5 + i % 50)
            fields["outreach_by"] = Outreach.MARKETING if i % 2 else Outreach.OWNER
        if status in (Status.SCHEDULED, Status.COMPLETED):
            fields["interview_at"] = created + dt.timedelta(days=5)
        if status in (Status.DECLINED, Status.CUSTOMER_DECLINED, Status.COMPLETED):
            fields["closed_at"] = created + dt.timedelta(days=6)
        requests.append(
            InterviewRequest(
                account=account,
                requested_by=marketer,
                owner_at_filing=owner,
                owner=owner,
                purpose=Purpose.values[i % len(Purpose.values)],
                topic=f"Topic {i}",
                questions="Why?",
                status=status,
                escalated=status == Status.MARKETING_OUTREACH and i % 3 == 0,
                response_window_days=5 + i % 4,
                created_at=created,
                updated_at=created,
                status_changed_at=created + dt.timedelta(hours=5),
                **fields,
            )
        )
    requests = InterviewRequest.objects.bulk_create(requests)
    events = []
    categories = itertools.cycle(ReasonCategory.values)
    for i, request in enumerate(requests):
        if request.status == Status.DEFERRED or request.status == Status.DECLINED:
            kind = EventKind.DEFERRED if request.status == Status.DEFERRED else EventKind.DECLINED
            events.append((request, kind, {"reason_category": next(categories), "reason": "x"}))
        if request.escalated:
            events.append((request, EventKind.DEADLINE_PASSED, {"was": "awaiting_owner"}))
        if request.owner_responded_at and i % 7 == 0:
            events.append((request, EventKind.OWNER_REASSIGNED, {"to_owner": owners[0].pk}))
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=request,
            actor=manager,
            kind=kind,
            version=n + 2,
            details=details,
            created_at=request.created_at + dt.timedelta(hours=1),
        )
        for n, (request, kind, details) in enumerate(events)
    )


@pytest.fixture
def people(manager, marketer):
    owners = [
        UserFactory(
            email=f"owner{i}@example.com",
            department=Department.SALES if i % 2 else Department.CUSTOMER_SUCCESS,
            reports_to=manager if i < 4 else None,
        )
        for i in range(8)
    ]
    return marketer, owners, manager


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return sum(
        not query["sql"].startswith(_TRANSACTION_CONTROL) for query in context.captured_queries
    )


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export/stalled.csv"])
def test_constant_queries_whatever_the_data(client, clock, people, url):
    marketer, owners, manager = people
    client.force_login(manager)
    _seed(10, marketer, owners, manager)
    small = _queries(client, url)
    _seed(200, marketer, owners, manager)
    medium = _queries(client, url)
    _seed(400, marketer, owners, manager)
    assert InterviewRequest.objects.count() == 610
    large = _queries(client, url)
    # One more query (counting the stalled list) once it is longer than the page shows.
    assert small <= medium == large <= MAX_QUERIES
    # A team's page looks its members up once, then filters by their ids.
    filtered = _queries(client, url, team=manager.pk, purpose=Purpose.CASE_STUDY, sort="owner")
    assert filtered <= large + 1 and filtered <= MAX_QUERIES


def test_the_page_with_a_few_hundred_requests(client, clock, people, django_assert_max_num_queries):
    marketer, owners, manager = people
    _seed(400, marketer, owners, manager)
    client.force_login(manager)
    # + the snapshot: a savepoint, its release and its setting.
    with django_assert_max_num_queries(MAX_QUERIES + 3):
        response = client.get("/dashboard/")
    board = response.context["board"]
    assert board.total.open > 100
    assert board.stalled_count > 50 and len(board.stalled) == 50
    assert sum(row.total for row in board.reasons) > 0
    assert board.total.median_response_days is not None
