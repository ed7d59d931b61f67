"""Every error has the same body: {"code", "detail", "field"} (+ "errors", "context")."""

from __future__ import annotations

import datetime as dt

import pytest

from interviews.api.errors import _first_error, error_body, status_for
from interviews.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PolicyViolation,
    StaleVersion,
    WorkflowError,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed("no"), 403),
        (InvalidInput("bad", field="until"), 400),
        (InvalidTransition("gone", status="cancelled"), 409),
        (StaleVersion("old", status="cancelled"), 409),
        (PolicyViolation("open", code="open_request"), 409),
        (WorkflowError("other"), 400),
    ],
)
def test_each_workflow_error_has_its_status(error, status):
    assert status_for(error) == status


def test_nested_validation_errors_name_the_dotted_field():
    detail = {"new_candidates": [{}, {"email": ["Enter a valid email address."]}]}
    assert _first_error(detail) == ("new_candidates.1.email", "Enter a valid email address.")
    assert _first_error({"non_field_errors": ["Invalid data."]}) == (None, "Invalid data.")
    assert _first_error(["Expected a list."]) == (None, "Expected a list.")


def test_context_is_written_as_json():
    body = error_body("sensitive", "Paused.", context={"until": dt.date(2027, 1, 31)})
    assert body == {
        "code": "sensitive",
        "detail": "Paused.",
        "field": None,
        "context": {"until": "2027-01-31"},
    }


def test_malformed_json_is_a_parse_error(api, marketer):
    response = api(marketer).post("/api/requests/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["field"] is None


def test_only_json_bodies_are_accepted(api, marketer):
    response = api(marketer).post("/api/requests/", {"topic": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "42"])
def test_a_body_that_is_not_an_object_is_400(api, marketer, body):
    response = api(marketer).post("/api/requests/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_the_api_answers_json_only(api, marketer):
    response = api(marketer).get("/api/requests/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path", ["/api/nothing-here/", "/api/accounts/1.5/", "/api/requests/1/actions/x/y/"]
)
def test_unknown_api_addresses_are_json_404s(api, marketer, path):
    response = api(marketer).get(path)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found.", "field": None}


def test_a_missing_slash_is_redirected(api, marketer):
    response = api(marketer).get("/api/requests")
    assert response.status_code == 301
    assert response["Location"] == "/api/requests/"
