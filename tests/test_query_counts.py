"""Pages run a fixed number of queries whatever the data: 10 rows or a few hundred.

Rows are bulk-created here (tests may; the app writes state only through the workflow)
so that hundreds of requests, events and comments take a moment, not minutes.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from interviews import workflow
from interviews.models import (
    CLOSED_STATUSES,
    Candidate,
    Comment,
    EventKind,
    InterviewRequest,
    RequestEvent,
    Status,
)
from tests.conftest import MONDAY_10AM

pytestmark = pytest.mark.django_db

# Every state, so that each kind of "what happens next" sentence is computed.
_STATES = [
    (Status.AWAITING_OWNER, {"response_due_at": MONDAY_10AM + dt.timedelta(days=7)}),
    (Status.OWNER_OUTREACH, {"response_due_at": MONDAY_10AM + dt.timedelta(days=14)}),
    (Status.MARKETING_OUTREACH, {"escalated": True}),
    (
        Status.DEFERRED,
        {"deferred_until": dt.date(2026, 12, 20), "wake_at": MONDAY_10AM + dt.timedelta(days=20)},
    ),
    (Status.SCHEDULED, {"interview_at": MONDAY_10AM + dt.timedelta(days=3)}),
    (Status.DECLINED, {}),
    (Status.CUSTOMER_DECLINED, {}),
    (Status.COMPLETED, {"interview_at": MONDAY_10AM - dt.timedelta(days=3)}),
    (Status.CANCELLED, {}),
]


_serial = itertools.count()


def make_requests(count: int, *, marketer, owner, account: Account | None = None) -> list:
    """`count` requests in every state, each with two candidates and a filed event (plus
    the reason event for the states that show one). One account each unless given."""
    if account is None:
        accounts = Account.objects.bulk_create(
            Account(name=f"Bulk {n:04d} KK", crm_id=f"BULK-{n:05d}", owner=owner)
            for n in itertools.islice(_serial, count)
        )
    else:
        accounts = [account] * count
    people = Candidate.objects.bulk_create(
        Candidate(account=a, name=f"Person {n}", email=f"p{n}@example.jp")
        for a in accounts
        for n in itertools.islice(_serial, 2)
    )
    # One account has one open request at most: its history is closed requests.
    states = itertools.cycle(
        _STATES if account is None else [s for s in _STATES if s[0] in CLOSED_STATUSES]
    )
    rows = []
    for i, a in enumerate(accounts):
        status, fields = next(states)
        created = MONDAY_10AM - dt.timedelta(hours=count - i)
        rows.append(
            InterviewRequest(
                account=a,
                requested_by=marketer,
                owner_at_filing=owner,
                owner=owner,
                purpose="case_study",
                topic=f"Topic {i}",
                questions="Why?",
                status=status,
                response_window_days=5,
                version=2,
                created_at=created,
                updated_at=created,
                status_changed_at=created,
                closed_at=created if status in CLOSED_STATUSES else None,
                **fields,
            )
        )
    requests = InterviewRequest.objects.bulk_create(rows)
    through = InterviewRequest.candidates.through
    through.objects.bulk_create(
        through(interviewrequest_id=r.pk, candidate_id=c.pk)
        for i, r in enumerate(requests)
        for c in people[2 * i : 2 * i + 2]
    )
    reasons = {
        Status.DEFERRED: EventKind.DEFERRED,
        Status.DECLINED: EventKind.DECLINED,
        Status.CANCELLED: EventKind.CANCELLED,
    }
    events = []
    for r in requests:
        events.append(_event(r, EventKind.FILED, "", Status.AWAITING_OWNER, 1))
        if r.status in reasons:
            events.append(
                _event(
                    r,
                    reasons[r.status],
                    Status.AWAITING_OWNER,
                    r.status,
                    2,
                    {"reason_category": "bad_timing", "reason": "Year end", "until": "2026-12-20"},
                )
            )
    RequestEvent.objects.bulk_create(events)
    return requests


def _event(request, kind, from_status, to_status, version, details=None) -> RequestEvent:
    return RequestEvent(
        request=request,
        actor=request.requested_by,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        version=version,
        details=details or {},
        created_at=request.created_at,
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def marketer_client(client, marketer):
    client.force_login(marketer)
    return client


# --- The list -------------------------------------------------------------------------------


LIST_URLS = [
    reverse("home"),
    reverse("home") + "?q=bulk&status=open&sort=deadline&mine=on&purpose=case_study",
    reverse("home") + "?page=2",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_the_list_costs_the_same_for_10_or_300_requests(
    marketer_client, clock, marketer, sales, url
):
    make_requests(10, marketer=marketer, owner=sales)
    few = count_queries(marketer_client, url)
    make_requests(290, marketer=marketer, owner=sales)
    many = count_queries(marketer_client, url)
    assert few == many


def test_the_list_query_budget(marketer_client, clock, marketer, sales, django_assert_num_queries):
    make_requests(300, marketer=marketer, owner=sales)
    # Session and user, the owner choices, the page's count and its rows.
    with django_assert_num_queries(5):
        marketer_client.get(reverse("home"))
    # htmx asks for the results only: no choices to fill in.
    with django_assert_num_queries(4):
        marketer_client.get(reverse("home"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")


def test_an_owner_list_costs_the_same(client, clock, marketer, sales):
    client.force_login(sales)
    make_requests(10, marketer=marketer, owner=sales)
    few = count_queries(client, reverse("home"))
    make_requests(290, marketer=marketer, owner=sales)
    assert count_queries(client, reverse("home")) == few


# --- A request's page ----------------------------------------------------------------------


def _grow(request, *, events: int, comments: int, people: int) -> None:
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=request,
            actor=request.requested_by,
            kind=EventKind.REMINDER_SENT,
            from_status=request.status,
            to_status=request.status,
            version=request.version,
            details={"deadline": "2026-12-07T18:00:00+09:00"},
            created_at=MONDAY_10AM,
        )
        for _ in range(events)
    )
    Comment.objects.bulk_create(
        Comment(
            request=request, author=request.requested_by, body=f"Note {i}", created_at=MONDAY_10AM
        )
        for i in range(comments)
    )
    more = Candidate.objects.bulk_create(
        Candidate(account=request.account, name=f"Extra {n}", email=f"x{n}@acme.example")
        for n in itertools.islice(_serial, people)
    )
    request.candidates.add(*more)


def test_the_request_page_costs_the_same_with_3_or_300_timeline_lines(
    marketer_client, clock, cs, manager, file_request
):
    request = file_request()
    # A reassignment names two people by id in its details: one more query, whatever the size.
    workflow.request_reassign_owner(request_id=request.pk, by=manager, new_owner=cs, reason="x")
    url = reverse("request_detail", args=[request.pk])
    _grow(request, events=1, comments=1, people=1)
    few = count_queries(marketer_client, url)
    _grow(request, events=150, comments=150, people=30)
    many = count_queries(marketer_client, url)
    assert few == many


def test_the_request_page_query_budget(
    marketer_client, clock, file_request, django_assert_num_queries
):
    request = file_request()
    _grow(request, events=100, comments=100, people=10)
    # Session and user; the request with its state reason; candidates; events; comments;
    # findings; what sales already has.
    with django_assert_num_queries(8):
        marketer_client.get(reverse("request_detail", args=[request.pk]))


# --- Accounts and candidates -----------------------------------------------------------------


def test_the_account_page_costs_the_same_for_2_or_200_requests(
    marketer_client, clock, marketer, sales, account
):
    make_requests(2, marketer=marketer, owner=sales, account=account)
    url = reverse("account_detail", args=[account.pk])
    few = count_queries(marketer_client, url)
    make_requests(198, marketer=marketer, owner=sales, account=account)
    assert count_queries(marketer_client, url) == few


def test_the_candidate_page_costs_the_same(marketer_client, clock, marketer, sales, account):
    requests = make_requests(2, marketer=marketer, owner=sales, account=account)
    person = requests[0].candidates.first()
    url = reverse("candidate_detail", args=[person.pk])
    few = count_queries(marketer_client, url)
    more = make_requests(100, marketer=marketer, owner=sales, account=account)
    InterviewRequest.candidates.through.objects.bulk_create(
        InterviewRequest.candidates.through(interviewrequest_id=r.pk, candidate_id=person.pk)
        for r in more
    )
    assert count_queries(marketer_client, url) == few


def test_the_account_list_costs_the_same(marketer_client, clock, marketer, sales):
    make_requests(10, marketer=marketer, owner=sales)
    few = count_queries(marketer_client, reverse("account_list"))
    make_requests(290, marketer=marketer, owner=sales)
    assert count_queries(marketer_client, reverse("account_list")) == few


def test_the_filing_page_costs_the_same_for_many_accounts(
    marketer_client, clock, marketer, sales, account
):
    url = reverse("request_new") + f"?account={account.pk}"
    make_requests(10, marketer=marketer, owner=sales)
    few = count_queries(marketer_client, url)
    make_requests(290, marketer=marketer, owner=sales)
    assert count_queries(marketer_client, url) == few
