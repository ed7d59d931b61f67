"""A body the app cannot decode is a clean 400, logged under the request's id, on every
endpoint — including when Django's own error views would read it again (their CSRF token
support does, which turned the 400 into an unlogged 500 behind gunicorn)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from interviews import json_depth

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
CSRF = "a" * 32

CHARSETS = ["shift_jis", "cp932", "euc-jp", "iso-2022-jp", "utf-16", "utf-16-le", "latin-1", "utf8"]
# Percent-encoded bytes that are not UTF-8: Shift_JIS あ, a lone continuation byte, a
# broken two-byte sequence, an encoded surrogate, an overlong slash.
BAD_PERCENT = [b"%82%A0", b"%FF", b"%C3%28", b"%ED%A0%80", b"%C0%AF"]
RAW_BYTES = [b"\xff\xfe", b"\x82\xa0", b"\xc3\x28"]
ENDPOINTS = [
    "/login/",
    "/logout/",
    "/password-reset/",
    "/i18n/setlang/",
    "/r/not-a-token/defer/",
    "/imports/",
    "/requests/new/",
    "/digest/unsubscribe/not-a-token/",
]


def post(client: Client, path: str, body: bytes, content_type: str, **extra):
    if "csrftoken" not in client.cookies:
        client.cookies["csrftoken"] = CSRF
    return client.generic("POST", path, body, content_type=content_type, **extra)


@pytest.fixture
def browser():
    # As a browser is treated in production: the CSRF check runs (the test client skips
    # it by default, which hid the 500).
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def assert_clean_400(response, caplog):
    assert response.status_code == 400, response.status_code
    rid = response["X-Request-ID"]
    logged = [r for r in caplog.records if r.name == "django.request" and r.status_code == 400]
    assert logged and all(r.request_id == rid for r in logged)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_form_in_another_charset_is_a_400(browser, caplog, path, charset):
    body = f"username=a&password=b&csrfmiddlewaretoken={CSRF}".encode(charset)
    with caplog.at_level(logging.INFO):
        response = post(browser, path, body, f"{FORM}; charset={charset}")
    assert_clean_400(response, caplog)


@pytest.mark.parametrize("encoded", BAD_PERCENT + RAW_BYTES)
@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_form_whose_bytes_are_not_utf8_is_a_400(browser, caplog, path, encoded):
    body = b"username=" + encoded + f"&password=b&csrfmiddlewaretoken={CSRF}".encode()
    with caplog.at_level(logging.INFO):
        response = post(browser, path, body, FORM)
    assert_clean_400(response, caplog)


def test_a_signed_in_form_in_shift_jis_is_a_400_and_changes_nothing(browser, caplog, marketer):
    browser.force_login(marketer)
    body = "language=ja".encode("shift_jis")
    with caplog.at_level(logging.INFO):
        response = post(browser, "/i18n/setlang/", body, f"{FORM}; charset=shift_jis")
    assert_clean_400(response, caplog)
    marketer.refresh_from_db()
    assert marketer.language == "en"


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=", "multipart/x"]
)
def test_a_broken_multipart_body_is_a_400(browser, caplog, content_type):
    with caplog.at_level(logging.INFO):
        response = post(browser, "/login/", b"--x\r\ngarbage", content_type)
    assert response.status_code in (400, 403)  # 403: no CSRF token could be read
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_form_body_over_the_size_limit_is_a_400(browser, caplog, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    with caplog.at_level(logging.INFO):
        response = post(browser, "/login/", b"username=" + b"a" * 2000, FORM)
    assert response.status_code == 400
    # Django reports it as a security event, under the request's id; no server error.
    (event,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert event.name == "django.security.RequestDataTooBig"
    assert event.request_id == response["X-Request-ID"]


def test_ordinary_forms_still_work(browser, marketer):
    browser.get("/login/")
    token = browser.cookies["csrftoken"].value
    body = f"username={marketer.email}&password=pw&csrfmiddlewaretoken={token}".encode()
    response = post(browser, "/login/", body, f"{FORM}; charset=UTF-8")
    assert response.status_code == 302
    # Non-ASCII text, percent-encoded as UTF-8 like every browser sends it.
    other = Client(enforce_csrf_checks=True)
    other.get("/login/")
    token = other.cookies["csrftoken"].value
    response = other.post(
        "/login/", {"username": "佐藤@example.com", "password": "x", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert "佐藤@example.com" in response.content.decode()


# --- The API ---------------------------------------------------------------------------------


@pytest.fixture
def api(marketer):
    token, _ = Token.objects.get_or_create(user=marketer)
    client = Client(raise_request_exception=False)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.parametrize("charset", CHARSETS)
def test_an_api_form_body_in_another_charset_gets_the_api_error_body(api, caplog, charset):
    with caplog.at_level(logging.INFO):
        body = "topic=x".encode(charset)
        response = post(api, "/api/requests/", body, f"{FORM}; charset={charset}")
    assert_clean_400(response, caplog)
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", [b'{"topic": "\xff"}', b"\xfe\xff\x00{", b"{'a': 1}", b"NaN"])
def test_json_that_cannot_be_read_is_a_parse_error(api, body):
    response = post(api, "/api/requests/", body, "application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("depth", [json_depth.MAX_DEPTH + 1, 100, 1_000, 5_000, 50_000])
@pytest.mark.parametrize("shape", ["[", '{"a":'])
def test_deeply_nested_json_is_refused(api, depth, shape):
    closing = "]" if shape == "[" else "}"
    body = (shape * depth + "1" + closing * depth).encode()
    response = post(api, "/api/requests/", body, "application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error",
        "detail": f"The JSON is nested too deeply: at most {json_depth.MAX_DEPTH} levels.",
        "field": None,
    }
    unclosed = post(api, "/api/requests/", (shape * depth).encode(), "application/json")
    assert unclosed.status_code == 400 and unclosed.json()["code"] == "parse_error"


def test_nesting_within_the_limit_reaches_validation(api):
    body = '{"topic": ' + "[" * (json_depth.MAX_DEPTH - 1) + "]" * (json_depth.MAX_DEPTH - 1) + "}"
    response = post(api, "/api/requests/", body.encode(), "application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"


def test_the_depth_is_measured_without_recursion():
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    assert json_depth.depth(nested) == 100_001
    assert json_depth.depth({"a": [1, {"b": {}}]}) == 4
    assert json_depth.depth("text") == 0
