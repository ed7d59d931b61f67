"""Listing, reading and filing requests through the API, per role."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Department
from interviews import workflow
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    Purpose,
    Status,
)
from tests.factories import AccountFactory, CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/requests/"


def detail(pk) -> str:
    return f"/api/requests/{pk}/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- Reading -----------------------------------------------------------------------------------


def test_marketers_and_managers_see_every_request(
    api, marketer, other_marketer, manager, interview, other_interview
):
    for user in (marketer, other_marketer, manager):
        response = api(user).get(LIST)
        assert response.status_code == 200
        assert sorted(ids(response)) == sorted([interview.pk, other_interview.pk])


def test_an_owner_sees_only_their_requests(api, sales, other_sales, interview, other_interview):
    assert ids(api(sales).get(LIST)) == [interview.pk]
    assert ids(api(other_sales).get(LIST)) == [other_interview.pk]
    assert api(sales).get(detail(other_interview.pk)).status_code == 404


def test_someone_with_no_part_sees_nothing(api, outsider, interview):
    assert ids(api(outsider).get(LIST)) == []
    response = api(outsider).get(detail(interview.pk))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found.", "field": None}


def test_an_owner_still_sees_a_request_moved_to_someone_else(
    api, manager, sales, other_sales, interview
):
    workflow.request_reassign_owner(
        request_id=interview.pk, by=manager, new_owner=other_sales, reason="Sato is away."
    )
    assert api(sales).get(detail(interview.pk)).status_code == 200
    assert api(other_sales).get(detail(interview.pk)).status_code == 200


def test_the_detail_has_the_timeline_and_what_the_reader_may_do(
    api, sales, marketer, manager, interview
):
    body = api(sales).get(detail(interview.pk)).json()
    assert body["status"] == Status.AWAITING_OWNER
    assert body["version"] == 1
    assert body["account"] == {
        "id": interview.account_id,
        "name": "Acme KK",
        "crm_id": interview.account.crm_id,
    }
    assert body["owner"]["email"] == "sales@example.com"
    assert [c["name"] for c in body["candidates"]] == ["Tanaka Hanako"]
    assert [e["kind"] for e in body["events"]] == [EventKind.FILED]
    assert body["events"][0]["actor"]["id"] == marketer.pk
    assert body["response_due_at"].startswith("2026-12-07T18:00:00")
    assert body["allowed_actions"] == ["owner_will_reach_out", "owner_go_ahead", "defer", "decline"]
    # The marketer who filed may cancel (editing is a web page, not an API action).
    assert api(marketer).get(detail(interview.pk)).json()["allowed_actions"] == ["cancel"]
    assert api(manager).get(detail(interview.pk)).json()["allowed_actions"] == [
        "owner_will_reach_out",
        "owner_go_ahead",
        "defer",
        "decline",
        "cancel",
        "extend_deadline",
        "reassign_owner",
        "force_switch",
    ]


def test_the_reason_for_the_current_state_is_shown(api, marketer, sales, interview):
    workflow.request_defer(
        request_id=interview.pk,
        by=sales,
        until=dt.date(2026, 12, 14),
        reason_category="bad_timing",
        reason="Renewal talks this month.",
    )
    body = api(marketer).get(detail(interview.pk)).json()
    assert body["status"] == Status.DEFERRED
    assert body["state_details"]["reason"] == "Renewal talks this month."
    assert body["deferred_until"] == "2026-12-14"


def test_a_malformed_id_is_a_json_404(api, marketer):
    response = api(marketer).get("/api/requests/abc/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Filters, search, ordering ------------------------------------------------------------


@pytest.fixture
def several(clock, marketer, other_marketer, sales, other_sales):
    """Five requests: two by each marketer, over two owners, in different states."""
    made = {}
    for key, by, owner, purpose, topic in (
        ("a", marketer, sales, Purpose.CASE_STUDY, "Ledger migration"),
        ("b", marketer, other_sales, Purpose.RESEARCH, "Why they chose us"),
        ("c", other_marketer, sales, Purpose.TESTIMONIAL, "A quote for the site"),
        ("d", other_marketer, other_sales, Purpose.CASE_STUDY, "Scaling to Osaka"),
        ("e", marketer, sales, Purpose.RESEARCH, "Onboarding feedback"),
    ):
        account = AccountFactory(name=f"Account {key.upper()}", owner=owner)
        person = CandidateFactory(account=account, name=f"Person {key.upper()}")
        made[key] = workflow.request_file(
            by=by,
            account=account,
            candidates=[person],
            purpose=purpose,
            topic=topic,
            questions="Q?",
        )
        clock.shift(dt.timedelta(minutes=1))
    workflow.request_decline(
        request_id=made["c"].pk, by=sales, reason_category="open_issue", reason="Escalation."
    )
    workflow.request_owner_go_ahead(request_id=made["d"].pk, by=other_sales)
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "edcba"),
        ("?status=declined", "c"),
        ("?status=marketing_outreach", "d"),
        ("?status=open", "edba"),
        ("?status=closed", "c"),
        ("?purpose=research", "eb"),
        ("?q=osaka", "d"),
        ("?q=person%20b", "b"),
        ("?q=ACCOUNT%20e", "e"),
        ("?mine=true", "eba"),
        ("?mine=true&purpose=case_study", "a"),
        ("?ordering=oldest", "abcde"),
        ("?ordering=account", "abcde"),
    ],
)
def test_filters_search_and_ordering(api, marketer, several, query, expected):
    response = api(marketer).get(LIST + query)
    assert response.status_code == 200, response.json()
    assert ids(response) == [several[key].pk for key in expected]


def test_filter_by_owner_and_account(api, manager, other_sales, several):
    assert ids(api(manager).get(f"{LIST}?owner={other_sales.pk}")) == [
        several["d"].pk,
        several["b"].pk,
    ]
    account_id = several["c"].account_id
    assert ids(api(manager).get(f"{LIST}?account={account_id}")) == [several["c"].pk]
    # Unknown ids match nothing; they are not an error.
    assert ids(api(manager).get(f"{LIST}?owner=999999")) == []


def test_an_owner_filtering_cannot_widen_what_they_see(api, sales, other_sales, several):
    assert ids(api(sales).get(f"{LIST}?owner={other_sales.pk}")) == []
    assert ids(api(sales).get(f"{LIST}?mine=true")) == [several[k].pk for k in "eca"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=awaitng_owner", "status"),
        ("?purpose=blog", "purpose"),
        ("?owner=abc", "owner"),
        ("?account=0", "account"),
        ("?ordering=random", "ordering"),
        ("?mine=perhaps", "mine"),
        ("?q=" + "x" * 101, "q"),
        ("?status=open&status=closed", "status"),
        ("?status=", "status"),
        ("?owner=", "owner"),
        ("?page_size=5&page_size=6", "page_size"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(api, marketer, query, field):
    response = api(marketer).get(LIST + query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == field
    assert field in body["errors"]


# --- Pagination ----------------------------------------------------------------------------------


def test_pages_follow_a_stable_order_without_overlap(api, marketer, several):
    seen = []
    url = LIST + "?page_size=2&ordering=deadline"
    pages = 0
    while url:
        body = api(marketer).get(url).json()
        assert body["count"] == 5
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(r.pk for r in several.values())
    assert len(set(seen)) == 5


def test_page_size_is_bounded_and_a_page_past_the_end_is_404(api, marketer, several):
    body = api(marketer).get(LIST + "?page_size=100").json()
    assert len(body["results"]) == 5 and body["next"] is None
    for query in ("page_size=0", "page_size=101", "page_size=ten", "page=0", "page=", "page=x"):
        response = api(marketer).get(f"{LIST}?{query}")
        assert response.status_code == 400, query
        assert response.json()["field"] == query.split("=")[0]
    response = api(marketer).get(LIST + "?page=9")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Filing --------------------------------------------------------------------------------------


def _filing(for_account, people=(), **overrides):
    body = {
        "account": for_account.pk,
        "candidates": [c.pk for c in people],
        "purpose": "case_study",
        "topic": "Why Acme moved its ledger to us",
        "questions": "What did you use before?",
        "note_to_owner": "For the spring campaign.",
    }
    body.update(overrides)
    return body


def test_a_marketer_files_a_request(api, clock, marketer, sales, account, candidate):
    response = api(marketer).post(LIST, _filing(account, [candidate]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    interview = InterviewRequest.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/requests/{interview.pk}/"
    assert interview.requested_by == marketer and interview.owner == sales
    assert interview.status == Status.AWAITING_OWNER
    assert body["response_window_days"] == 5
    assert [e["kind"] for e in body["events"]] == [EventKind.FILED]
    assert Notification.objects.filter(
        request=interview, recipient=sales, kind=NotificationKind.NEW_REQUEST
    ).exists()


def test_new_candidates_are_added_with_the_request(api, clock, marketer, account, candidate):
    body = _filing(
        account,
        [candidate],
        new_candidates=[{"name": "Suzuki Jiro", "email": "JIRO@acme.example.jp", "title": "CFO"}],
        response_window_days=8,
        needed_by="2027-01-15",
    )
    response = api(marketer).post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert sorted(c["name"] for c in created["candidates"]) == ["Suzuki Jiro", "Tanaka Hanako"]
    assert account.candidates.get(name="Suzuki Jiro").email == "jiro@acme.example.jp"
    assert created["response_window_days"] == 8
    assert created["needed_by"] == "2027-01-15"


@pytest.mark.parametrize("role", ["sales", "outsider"])
def test_only_marketers_and_managers_file(api, request, clock, role, account, candidate):
    user = request.getfixturevalue(role)
    response = api(user).post(LIST, _filing(account, [candidate]), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert not InterviewRequest.objects.exists()


def test_a_manager_files_and_may_override_the_cooldown(
    api, clock, manager, marketer, account, candidate
):
    candidate.last_interviewed_on = dt.date(2026, 11, 1)
    candidate.save()
    refused = api(marketer).post(LIST, _filing(account, [candidate]), format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "cooldown"
    assert refused.json()["context"] == {"ends": "2027-01-30"}
    # A marketer's override reason is not enough; a manager's is.
    body = _filing(account, [candidate], override_reason="The CEO asked.")
    assert api(marketer).post(LIST, body, format="json").status_code == 409
    response = api(manager).post(LIST, body, format="json")
    assert response.status_code == 201, response.json()


def test_policy_refusals_are_409_with_their_code(
    api, clock, marketer, sales, account, candidate, interview
):
    response = api(marketer).post(LIST, _filing(account, [candidate]), format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "open_request",
        "detail": "Acme KK already has an open interview request; a customer is asked once "
        "at a time.",
        "field": None,
        "context": {"open_request_id": interview.pk},
    }
    calm = AccountFactory(name="Calm KK", owner=sales)
    workflow.account_mark_sensitive(
        account_id=calm.pk, by=sales, until=dt.date(2027, 1, 31), reason="Renewal."
    )
    person = CandidateFactory(account=calm)
    response = api(marketer).post(LIST, _filing(calm, [person]), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "sensitive"
    assert response.json()["context"] == {"until": "2027-01-31"}


def test_an_account_without_an_active_owner_cannot_be_asked(api, clock, marketer, candidate, sales):
    sales.is_active = False
    sales.save()
    response = api(marketer).post(LIST, _filing(candidate.account, [candidate]), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "no_owner"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": ""}, "topic"),
        ({"topic": "   "}, "topic"),
        ({"purpose": "blog"}, "purpose"),
        ({"candidates": []}, "candidates"),
        ({"candidates": [999999]}, "candidates"),
        ({"account": 999999}, "account"),
        ({"account": None}, "account"),
        ({"needed_by": "2020-01-01"}, "needed_by"),
        ({"needed_by": "next week"}, "needed_by"),
        ({"response_window_days": 2}, "response_window_days"),
        ({"response_window_days": 99}, "response_window_days"),
        ({"new_candidates": [{"name": ""}]}, "new_candidates.0.name"),
        ({"new_candidates": [{"name": "X", "email": "nope"}]}, "new_candidates.0.email"),
        ({"questions": "x\x00y"}, "questions"),
    ],
)
def test_invalid_filings_are_400_naming_the_field(
    api, clock, marketer, account, candidate, overrides, field
):
    response = api(marketer).post(LIST, _filing(account, [candidate], **overrides), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == field
    assert not InterviewRequest.objects.exists()


def test_a_candidate_from_another_account_is_refused(api, clock, marketer, account):
    elsewhere = CandidateFactory(name="Not At Acme")
    response = api(marketer).post(LIST, _filing(account, [elsewhere]), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "candidates"
    assert response.json()["detail"] == "Every candidate must work at Acme KK."


def test_a_known_email_among_new_candidates_is_refused(api, clock, marketer, account, candidate):
    body = _filing(account, new_candidates=[{"name": "Again", "email": candidate.email}])
    response = api(marketer).post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "new_candidates"
    assert not account.candidates.filter(name="Again").exists()


def test_errors_speak_the_users_language(api, clock, account, candidate):
    japanese = UserFactory(
        email="mkt-ja@example.com", department=Department.MARKETING, language="ja"
    )
    response = api(japanese).post(LIST, _filing(account), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "candidates"
    assert response.json()["detail"] == "インタビュー対象者を1人以上選択してください。"


def test_unknown_candidates_are_listed_the_japanese_way(api, clock, account):
    japanese = UserFactory(
        email="mkt-ja@example.com", department=Department.MARKETING, language="ja"
    )
    body = _filing(account, candidates=[999998, 999999])
    response = api(japanese).post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "ID 999998、999999 のインタビュー候補者は存在しません。"
