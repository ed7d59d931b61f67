"""The API accepts exactly what its schema says: wrong JSON types are refused with the
standard error body (`"reason": 0` once cancelled a request), and the rules the server
enforces — no NUL, not only spaces, years 2000 to 2999, web addresses, the agreed
windows, existing ids — are written in the schema."""

from __future__ import annotations

import pytest
from django.test import Client

from interviews.api.fields import ANY_TEXT, DATE_IN_RANGE, SOME_TEXT, WEB_ADDRESS
from interviews.models import Status
from tests.api.conftest import scheduled

pytestmark = pytest.mark.django_db

NOT_STRINGS = [0, 1.5, True, None, [], ["x"], {}, {"a": "b"}]
NOT_INTEGERS = ["1", "01", 1.0, 1.5, True, None, [], {}]


def url(interview, action: str) -> str:
    return f"/api/requests/{interview.pk}/actions/{action}/"


def refused(response, field: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_input" and body["field"] == field, body
    return body


@pytest.mark.parametrize("value", NOT_STRINGS)
def test_a_reason_that_is_not_a_string_cancels_nothing(api, marketer, interview, value):
    body = {"expected_version": interview.version, "reason": value}
    refused(api(marketer).post(url(interview, "cancel"), body, format="json"), "reason")
    interview.refresh_from_db()
    assert interview.status == Status.AWAITING_OWNER


def test_the_message_names_the_types(api, marketer, interview):
    body = {"expected_version": interview.version, "reason": 0}
    response = api(marketer).post(url(interview, "cancel"), body, format="json")
    assert refused(response, "reason")["detail"] == "Expected a string, not a number."
    marketer.language = "ja"  # the API answers in the token holder's language
    marketer.save()
    response = api(marketer).post(url(interview, "cancel"), body, format="json")
    assert response.json()["detail"] == "文字列を指定してください（数値が指定されました）。"


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_version_must_be_a_json_integer(api, marketer, interview, value):
    body = {"expected_version": value, "reason": "Dropped."}
    refused(api(marketer).post(url(interview, "cancel"), body, format="json"), "expected_version")


@pytest.mark.parametrize("value", [str, float, bool])
def test_ids_and_counts_must_be_integers(api, manager, interview, cs, value):
    as_type = {str: str(cs.pk), float: float(cs.pk), bool: True}[value]
    body = {"expected_version": interview.version, "reason": "Leave.", "new_owner": as_type}
    refused(api(manager).post(url(interview, "reassign_owner"), body, format="json"), "new_owner")
    body = {"expected_version": 1, "reason": "x", "extra_business_days": {str: "2"}.get(value, 2.0)}
    refused(
        api(manager).post(url(interview, "extend_deadline"), body, format="json"),
        "extra_business_days",
    )


@pytest.mark.parametrize("value", [20261214, 1.0, True, ["2026-12-14"]])
def test_dates_must_be_strings(api, sales, interview, value):
    body = {
        "expected_version": interview.version,
        "until": value,
        "reason_category": "bad_timing",
        "reason": "Later.",
    }
    refused(api(sales).post(url(interview, "defer"), body, format="json"), "until")


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "x" * 5 + "\x00"])
def test_nul_is_refused_in_every_text(api, marketer, account, candidate, value):
    body = {
        "account": account.pk,
        "candidates": [candidate.pk],
        "purpose": "case_study",
        "topic": value,
        "questions": "Why?",
    }
    refused(api(marketer).post("/api/requests/", body, format="json"), "topic")
    response = api(marketer).get("/api/requests/", {"q": value})
    assert response.status_code == 400 and response.json()["field"] == "q"


@pytest.mark.parametrize("value", [" ", "\t\n", "\u3000"])
def test_required_text_of_only_spaces_is_refused(api, marketer, interview, value):
    body = {"expected_version": interview.version, "reason": value}
    refused(api(marketer).post(url(interview, "cancel"), body, format="json"), "reason")


def test_length_counts_what_was_sent(api, marketer, interview):
    body = {"expected_version": interview.version, "reason": " " * 10 + "x" * 1995}
    refused(api(marketer).post(url(interview, "cancel"), body, format="json"), "reason")


@pytest.mark.parametrize(
    "address",
    ["ftp://example.com/x", "javascript:alert(1)", "https://", "example.com", "http://x"],
)
def test_a_published_link_must_be_a_web_address(api, marketer, sales, interview, address):
    scheduled(interview, sales, marketer)
    interview.refresh_from_db()
    body = {
        "expected_version": interview.version,
        "outcome_summary": "Went well.",
        "published_url": address,
    }
    refused(api(marketer).post(url(interview, "complete"), body, format="json"), "published_url")


@pytest.mark.parametrize("day", ["1999-12-31", "3000-01-01", "0001-01-01"])
def test_dates_outside_the_years_we_compute_with_are_refused(api, manager, day):
    response = api(manager).get("/api/dashboard/", {"start": day})
    assert response.status_code == 400 and response.json()["field"] == "start"


# --- What the schema says ---------------------------------------------------------------------


@pytest.fixture
def schema(settings, db):
    settings.RESPONSE_WINDOW_BUSINESS_DAYS = 4
    settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS = 15
    return Client().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]


def _field(schema, component: str, name: str) -> dict:
    field = schema[component]["properties"][name]
    return field["oneOf"][0] if "oneOf" in field else field


def ecma(pattern: str) -> str:
    """As the schema writes it (JavaScript's spelling of NUL)."""
    return pattern.replace(r"\x00", r"\u0000")


def test_the_schema_declares_the_text_rules(schema):
    assert _field(schema, "ReasonRequest", "reason")["pattern"] == ecma(SOME_TEXT)
    assert _field(schema, "CompleteRequest", "outcome_learnings")["pattern"] == ecma(ANY_TEXT)
    web = _field(schema, "CompleteRequest", "published_url")["pattern"]
    assert web == ecma(WEB_ADDRESS)
    assert _field(schema, "FileRequestRequest", "topic")["pattern"] == ecma(SOME_TEXT)
    assert _field(schema, "NewCandidateRequest", "title")["pattern"] == ecma(ANY_TEXT)


def test_the_schema_declares_dates_windows_and_ids(schema):
    until = _field(schema, "DeferRequest", "until")
    assert until["pattern"] == DATE_IN_RANGE and "MAX_DEFERRAL_DAYS" in until["description"]
    assert _field(schema, "ScheduleRequest", "interview_at")["pattern"].startswith("^2")
    window = _field(schema, "FileRequestRequest", "response_window_days")
    assert (window["minimum"], window["maximum"]) == (4, 15)
    extra = _field(schema, "ExtendDeadlineRequest", "extra_business_days")
    assert (extra["minimum"], extra["maximum"]) == (1, 15)
    new_owner = _field(schema, "ReassignOwnerRequest", "new_owner")["description"]
    assert "other than the current owner" in new_owner and "names nobody" in new_owner
    assert "may see" in _field(schema, "FileRequestRequest", "account")["description"]
