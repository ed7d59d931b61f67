"""Who the API lets in: per-user tokens, the session (for the docs), nobody else."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

# Every data endpoint (the schema and the docs are public, like the how-it-works page).
ENDPOINTS = [
    ("get", "/api/requests/"),
    ("post", "/api/requests/"),
    ("get", "/api/requests/1/"),
    ("post", "/api/requests/1/actions/cancel/"),
    ("get", "/api/accounts/"),
    ("get", "/api/accounts/1/"),
    ("get", "/api/candidates/"),
    ("get", "/api/candidates/1/"),
    ("get", "/api/dashboard/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_without_credentials_every_endpoint_is_401(method, path):
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "field": None,
    }


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_an_unknown_token_is_401(method, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = getattr(client, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_deactivated_persons_token_stops_working(marketer):
    client = token_client(marketer)
    assert client.get("/api/requests/").status_code == 200
    marketer.is_active = False
    marketer.save()
    response = client.get("/api/requests/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_session_works_for_reading_and_needs_csrf_for_writing(client, marketer, account):
    client.force_login(marketer)
    assert client.get("/api/requests/").status_code == 200
    # A page on another site cannot make a signed-in browser file a request.
    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(marketer)
    response = csrf_client.post("/api/requests/", {"account": account.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]


# --- manage.py api_token -------------------------------------------------------------------------


def test_the_command_creates_a_token_and_prints_it_once(capsys, marketer):
    call_command("api_token", "Marketer@Example.com")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=marketer).key == key
    assert len(key) == 40
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/requests/").status_code == 200
    # Asked again, it refuses rather than show the key a second time.
    with pytest.raises(CommandError, match="already has a token"):
        call_command("api_token", marketer.email)
    assert capsys.readouterr().out == ""


def test_rotating_replaces_the_token(capsys, marketer):
    call_command("api_token", marketer.email)
    old = capsys.readouterr().out.strip()
    call_command("api_token", marketer.email, "--rotate")
    new = capsys.readouterr().out.strip()
    assert new != old
    assert list(Token.objects.filter(user=marketer).values_list("key", flat=True)) == [new]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/requests/").status_code == 401


def test_revoking_deletes_the_token(capsys, marketer):
    call_command("api_token", marketer.email)
    call_command("api_token", marketer.email, "--revoke")
    assert not Token.objects.filter(user=marketer).exists()
    assert "revoked" in capsys.readouterr().out


def test_no_token_for_unknown_or_deactivated_people(marketer):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody@example.com")
    marketer.is_active = False
    marketer.save()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("api_token", marketer.email)
    assert not Token.objects.exists()
