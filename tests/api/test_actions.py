"""The transitions as API actions: who may take each, and how refusals are answered."""

from __future__ import annotations

import datetime as dt

import pytest

from interviews import workflow
from interviews.api.actions import ACTION_NAMES
from interviews.models import EventKind, InterviewRequest, Outreach, Status
from tests.api.conftest import in_outreach, scheduled

pytestmark = pytest.mark.django_db


def url(interview, action: str) -> str:
    return f"/api/requests/{interview.pk}/actions/{action}/"


# What each action needs: the state to start from, a valid body, the state it leads to.
def _awaiting(interview, **people):
    return interview


def _outreach(interview, *, sales, **people):
    return in_outreach(interview, sales)


def _scheduled(interview, *, sales, marketer, **people):
    return scheduled(interview, sales, marketer)


CASES = {
    "owner_will_reach_out": (_awaiting, {"note": "I see them on Friday."}, Status.OWNER_OUTREACH),
    "owner_go_ahead": (_awaiting, {}, Status.MARKETING_OUTREACH),
    "defer": (
        _awaiting,
        {"until": "2026-12-14", "reason_category": "bad_timing", "reason": "Renewal."},
        Status.DEFERRED,
    ),
    "decline": (
        _awaiting,
        {"reason_category": "open_issue", "reason": "Escalation.", "pause_account_until": None},
        Status.DECLINED,
    ),
    "schedule": (
        _outreach,
        {"interview_at": "2026-12-10T14:00:00+09:00", "location": "Zoom"},
        Status.SCHEDULED,
    ),
    "customer_declined": (_outreach, {"reason": "Too busy."}, Status.CUSTOMER_DECLINED),
    "complete": (
        _scheduled,
        {"outcome_summary": "Great.", "published_url": "https://example.com/acme"},
        Status.COMPLETED,
    ),
    "cancel": (_awaiting, {"reason": "Campaign dropped."}, Status.CANCELLED),
    "extend_deadline": (
        _awaiting,
        {"extra_business_days": 3, "reason": "Holidays."},
        Status.AWAITING_OWNER,
    ),
    "reassign_owner": (_awaiting, {"new_owner": "cs", "reason": "Chika owns it now."}, None),
    "force_switch": (_awaiting, {"reason": "Launch date."}, Status.MARKETING_OUTREACH),
}

# Who may take each action on the request filed by `marketer` for `sales`'s account.
ALLOWED = {
    "owner_will_reach_out": {"sales", "manager"},
    "owner_go_ahead": {"sales", "manager"},
    "defer": {"sales", "manager"},
    "decline": {"sales", "manager"},
    # Marketing runs this outreach (the owner said go ahead); marketers and managers report.
    "schedule": {"marketer", "other_marketer", "manager"},
    "customer_declined": {"marketer", "other_marketer", "manager"},
    "complete": {"marketer", "other_marketer", "manager"},
    "cancel": {"marketer", "manager"},
    "extend_deadline": {"manager"},
    "reassign_owner": {"manager"},
    "force_switch": {"manager"},
}
# Signed in, but the request is not theirs to see: its existence stays private.
CANNOT_SEE = {"other_sales", "outsider"}
ROLES = ["marketer", "other_marketer", "sales", "other_sales", "manager", "outsider"]


def test_every_api_action_is_covered():
    assert set(CASES) == set(ALLOWED) == set(ACTION_NAMES)


@pytest.fixture
def people(marketer, other_marketer, sales, other_sales, manager, outsider, cs):
    return {
        "marketer": marketer,
        "other_marketer": other_marketer,
        "sales": sales,
        "other_sales": other_sales,
        "manager": manager,
        "outsider": outsider,
        "cs": cs,
    }


def _prepared(action, interview, people):
    setup, body, to = CASES[action]
    interview = setup(interview, **people)
    interview.refresh_from_db()
    body = {**body, "expected_version": interview.version}
    if body.get("new_owner") == "cs":
        body["new_owner"] = people["cs"].pk
    return interview, body, to


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTION_NAMES)
def test_who_may_take_each_action(api, people, interview, action, role):
    interview, body, to = _prepared(action, interview, people)
    before = interview.version
    response = api(people[role]).post(url(interview, action), body, format="json")
    interview.refresh_from_db()
    if role in ALLOWED[action]:
        assert response.status_code == 200, response.json()
        result = response.json()
        assert result["id"] == interview.pk
        assert result["version"] == interview.version == before + 1
        assert result["status"] == interview.status
        if to is not None:
            assert interview.status == to
        assert result["events"][-1]["actor"]["id"] == people[role].pk
    else:
        expected = 404 if role in CANNOT_SEE else 403
        assert response.status_code == expected, response.json()
        assert response.json()["code"] == ("not_found" if expected == 404 else "not_allowed")
        assert interview.version == before


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_anonymous_callers_are_401(api, people, interview, action):
    interview, body, _ = _prepared(action, interview, people)
    response = api(None).post(url(interview, action), body, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_the_reassigned_owner_gets_the_request(api, people, interview):
    interview, body, _ = _prepared("reassign_owner", interview, people)
    response = api(people["manager"]).post(url(interview, "reassign_owner"), body, format="json")
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == people["cs"].pk
    assert response.json()["status"] == Status.AWAITING_OWNER


def test_an_owner_reports_on_their_own_outreach(api, sales, interview):
    workflow.request_owner_will_reach_out(request_id=interview.pk, by=sales)
    body = {"expected_version": 2, "interview_at": "2026-12-10T14:00:00+09:00"}
    response = api(sales).post(url(interview, "schedule"), body, format="json")
    assert response.status_code == 200, response.json()
    interview.refresh_from_db()
    assert interview.outreach_by == Outreach.OWNER
    assert interview.status == Status.SCHEDULED
    # Completing is marketing's job, even after the owner's outreach.
    done = {"expected_version": 3, "outcome_summary": "Went well."}
    assert api(sales).post(url(interview, "complete"), done, format="json").status_code == 403


def test_a_naive_interview_time_is_read_in_the_users_time_zone(api, marketer, sales, interview):
    marketer.time_zone = "Europe/London"
    marketer.save()
    in_outreach(interview, sales)
    body = {"expected_version": 2, "interview_at": "2026-12-10T14:00:00"}
    response = api(marketer).post(url(interview, "schedule"), body, format="json")
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.interview_at == dt.datetime(2026, 12, 10, 14, 0, tzinfo=dt.UTC)
    # Times come back in the reader's zone, with the offset.
    assert response.json()["interview_at"] == "2026-12-10T14:00:00Z"


# --- Refusals ------------------------------------------------------------------------------------


def test_a_stale_version_is_409_and_changes_nothing(api, sales, marketer, interview):
    # The marketer cancelled while the owner was reading version 1.
    workflow.request_cancel(request_id=interview.pk, by=marketer, reason="Dropped.")
    body = {"expected_version": 1, "note": ""}
    response = api(sales).post(url(interview, "owner_go_ahead"), body, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": "stale_version",
        "detail": "The request changed since this was sent to you; it is now “Cancelled”. "
        "Nothing was changed.",
        "field": None,
        "context": {"status": "cancelled", "request_id": interview.pk},
    }
    interview.refresh_from_db()
    assert interview.status == Status.CANCELLED and interview.version == 2


def test_an_action_the_state_no_longer_allows_is_409(api, manager, sales, interview):
    in_outreach(interview, sales)
    body = {"expected_version": 2, "reason_category": "open_issue", "reason": "Too late."}
    response = api(manager).post(url(interview, "decline"), body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["context"]["status"] == "marketing_outreach"


def test_the_same_answer_twice_applies_once(api, sales, interview):
    body = {"expected_version": 1}
    first = api(sales).post(url(interview, "owner_go_ahead"), body, format="json")
    second = api(sales).post(url(interview, "owner_go_ahead"), body, format="json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert interview.events.filter(kind=EventKind.OWNER_GO_AHEAD).count() == 1


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("owner_go_ahead", {}, "expected_version"),
        ("owner_go_ahead", {"expected_version": 0}, "expected_version"),
        ("owner_go_ahead", {"expected_version": "one"}, "expected_version"),
        ("defer", {"expected_version": 1, "reason_category": "bad_timing"}, "until"),
        (
            "defer",
            {"expected_version": 1, "until": "2027-06-01", "reason_category": "x", "reason": "r"},
            "reason_category",
        ),
        (
            # Beyond MAX_DEFERRAL_DAYS: the workflow refuses, naming the field.
            "defer",
            {
                "expected_version": 1,
                "until": "2027-06-01",
                "reason_category": "bad_timing",
                "reason": "Later.",
            },
            "until",
        ),
        (
            "decline",
            {
                "expected_version": 1,
                "reason_category": "open_issue",
                "reason": "No.",
                "pause_account_until": "2030-01-01",
            },
            "pause_account_until",
        ),
        ("decline", {"expected_version": 1, "reason_category": "open_issue"}, "reason"),
        (
            "decline",
            {"expected_version": 1, "reason_category": "open_issue", "reason": "x" * 2001},
            "reason",
        ),
        ("cancel", {"expected_version": 1, "reason": "  "}, "reason"),
        ("extend_deadline", {"expected_version": 1, "reason": "r"}, "extra_business_days"),
        (
            "extend_deadline",
            {"expected_version": 1, "reason": "r", "extra_business_days": 21},
            "extra_business_days",
        ),
        (
            "reassign_owner",
            {"expected_version": 1, "reason": "r", "new_owner": 999999},
            "new_owner",
        ),
        ("reassign_owner", {"expected_version": 1, "reason": "r", "new_owner": "me"}, "new_owner"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field(api, manager, interview, action, body, field):
    response = api(manager).post(url(interview, action), body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid_input"
    assert response.json()["field"] == field
    interview.refresh_from_db()
    assert interview.version == 1


def test_reassigning_to_someone_who_is_not_an_owner_is_refused(api, manager, marketer, interview):
    body = {"expected_version": 1, "reason": "r", "new_owner": marketer.pk}
    response = api(manager).post(url(interview, "reassign_owner"), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "new_owner"


def test_the_deferral_limit_is_a_400_on_until(api, sales, interview, clock, settings):
    settings.MAX_DEFERRALS = 0
    body = {"expected_version": 1, "until": "2026-12-14", "reason_category": "bad_timing"}
    response = api(sales).post(url(interview, "defer"), {**body, "reason": "r"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "until"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome_summary": ""}, "outcome_summary"),
        ({"outcome_summary": "ok", "published_url": "ftp://x.example"}, "published_url"),
        ({"outcome_summary": "ok", "published_url": "not a url"}, "published_url"),
    ],
)
def test_an_outcome_needs_a_summary_and_a_web_link(api, marketer, sales, interview, body, field):
    scheduled(interview, sales, marketer)
    response = api(marketer).post(
        url(interview, "complete"), {"expected_version": 3, **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("when", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00+09:00"])
def test_far_off_interview_dates_are_refused(api, marketer, sales, interview, when):
    in_outreach(interview, sales)
    body = {"expected_version": 2, "interview_at": when}
    response = api(marketer).post(url(interview, "schedule"), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "interview_at"


def test_an_unknown_action_or_request_is_404(api, manager, interview):
    assert api(manager).post(url(interview, "approve"), {}, format="json").status_code == 404
    response = api(manager).post(
        "/api/requests/999999/actions/cancel/", {"expected_version": 1}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = api(manager).post("/api/requests/x/actions/cancel/", {}, format="json")
    assert response.json()["code"] == "not_found"


def test_actions_take_only_post(api, manager, interview):
    response = api(manager).get(url(interview, "cancel"))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_request_is_untouched_by_a_refusal(api, sales, interview):
    snapshot = InterviewRequest.objects.values().get(pk=interview.pk)
    api(sales).post(url(interview, "cancel"), {"expected_version": 1, "reason": "r"}, format="json")
    assert InterviewRequest.objects.values().get(pk=interview.pk) == snapshot
