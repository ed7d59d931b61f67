"""Every endpoint runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Candidate, EventKind, InterviewRequest, RequestEvent
from tests.api.conftest import token_client
from tests.factories import CandidateFactory
from tests.test_query_counts import make_requests

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(captured)


_LISTS = [
    "/api/requests/",
    "/api/requests/?status=open&purpose=case_study&mine=true&q=topic&ordering=deadline",
    "/api/requests/?page=2&page_size=5",
    "/api/accounts/",
    "/api/accounts/?q=bulk",
    "/api/candidates/",
    "/api/candidates/?q=person",
]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        *(("manager", url) for url in [*_LISTS, "/api/dashboard/"]),
        *(("sales", url) for url in _LISTS),
    ],
)
def test_lists_cost_the_same_for_10_or_200_rows(clock, request, marketer, sales, role, url):
    client = token_client(request.getfixturevalue(role))
    make_requests(10, marketer=marketer, owner=sales)
    few = queries(client, url)
    make_requests(190, marketer=marketer, owner=sales)
    assert queries(client, url) == few


def test_the_request_list_query_budget(clock, manager, marketer, sales, django_assert_num_queries):
    make_requests(60, marketer=marketer, owner=sales)
    client = token_client(manager)
    # The token and its user, the count, the page of rows, their candidates.
    with django_assert_num_queries(4):
        client.get("/api/requests/")


def test_a_request_costs_the_same_with_a_long_timeline(
    clock, manager, marketer, sales, django_assert_num_queries
):
    (interview,) = make_requests(1, marketer=marketer, owner=sales)
    client = token_client(manager)
    url = f"/api/requests/{interview.pk}/"
    few = queries(client, url)
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=interview,
            actor=marketer if n % 2 else None,
            kind=EventKind.REMINDER_SENT,
            from_status=interview.status,
            to_status=interview.status,
            version=interview.version,
            created_at=interview.created_at,
        )
        for n in range(50)
    )
    people = Candidate.objects.bulk_create(
        Candidate(account=interview.account, name=f"Extra {n}") for n in range(20)
    )
    InterviewRequest.candidates.through.objects.bulk_create(
        InterviewRequest.candidates.through(interviewrequest_id=interview.pk, candidate_id=p.pk)
        for p in people
    )
    # The token and its user, the request, its candidates, its timeline with the actors.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    assert queries(client, url) == few


def test_an_account_costs_the_same_with_many_people(clock, manager, marketer, sales):
    (interview,) = make_requests(1, marketer=marketer, owner=sales)
    client = token_client(manager)
    url = f"/api/accounts/{interview.account_id}/"
    few = queries(client, url)
    CandidateFactory.create_batch(30, account=interview.account)
    assert queries(client, url) == few
