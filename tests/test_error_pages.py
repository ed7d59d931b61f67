"""Our own error pages, with DEBUG off as in production: 400, 403, 404, 500 and a failed
CSRF check each say what happened and where to go, in the reader's language, with no
inline style or script (the CSP would block it); under /api/ the API's JSON instead."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "en": {
        400: "Your browser sent something we could not read",
        403: "This page is not available to you",
        404: "This page does not exist",
        500: "Something went wrong on our side",
        "csrf": "This form could not be sent",
        "start": "Go to your start page",
    },
    "ja": {
        400: "ブラウザから送られた内容を読み取れませんでした",
        403: "このページは表示できません",
        404: "このページは存在しません",
        500: "システム側で問題が発生しました",
        "csrf": "このフォームを送信できませんでした",
        "start": "スタートページへ",
    },
}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"


def client_in(language: str, **kwargs) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **kwargs)
    client.raise_request_exception = False
    return client


def assert_our_page(response, status: int, language: str, key) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert LANGUAGES[language][key] in html
    assert LANGUAGES[language]["start"] in html
    assert "Interview Relay" in html
    # Within the CSP: no inline styles or scripts (Django's own pages have both).
    assert "<style" not in html and " style=" not in html and "<script" not in html
    assert "DEBUG" not in html
    return html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_unknown_address_is_our_404(language):
    assert_our_page(client_in(language).get("/no/such/page/"), 404, language, 404)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_request_one_may_not_see_is_our_404(language, file_request, cs):
    request = file_request()
    cs.language = language
    cs.save()
    client = client_in(language)
    client.force_login(cs)
    response = client.get(reverse("request_detail", args=[request.pk]))
    assert_our_page(response, 404, language, 404)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_marketer_opening_the_dashboard_gets_our_403(language, marketer):
    client = client_in(language)
    client.force_login(marketer)
    marketer.language = language
    marketer.save()
    assert_our_page(client.get(reverse("dashboard")), 403, language, 403)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_body_that_cannot_be_read_is_our_400(language):
    response = client_in(language).post(
        reverse("login"), data=b"username=%ff%fe", content_type="application/x-www-form-urlencoded"
    )
    assert_our_page(response, 400, language, 400)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_bug_is_our_500_with_a_reference(language):
    html = assert_our_page(client_in(language).get("/boom/"), 500, language, 500)
    assert "Reference for support" in html or "サポート用の参照番号" in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_form_without_its_csrf_token_is_our_page(language):
    client = client_in(language, enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@example.com", "password": "x"})
    assert_our_page(response, 403, language, "csrf")


def test_the_api_answers_json_for_an_address_that_matches_nothing():
    response = client_in("en").get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_the_api_answers_json_for_a_bug():
    response = client_in("en").get("/api/boom/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_the_api_keeps_its_own_errors(marketer):
    response = client_in("en").get("/api/requests/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
