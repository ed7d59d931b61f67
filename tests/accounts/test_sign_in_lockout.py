"""Password guessing is paused on every sign-in path, with one count per account and one
per address, kept in the database (django-axes): the admin's sign-in is guarded like ours,
a pause on one path holds on the other, and it holds while Redis is down."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = f"/{django_settings.ADMIN_URL}login/"
PAUSED = "paused for 15 minutes"


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="root@example.com",
        name="Ada Admin",
        department=Department.OTHER,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_ATTEMPTS_PER_ACCOUNT = 5
    settings.LOGIN_ATTEMPTS_PER_IP = 30
    settings.LOGIN_LOCKOUT_MINUTES = 15


def sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def admin_sign_in(client, email, password, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"}, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_sign_in_pauses_after_five_failures(client, clock, admin_user):
    for _ in range(4):
        response = admin_sign_in(client, admin_user.email, "wrong")
        assert response.status_code == 200 and PAUSED not in response.content.decode()
    fifth = admin_sign_in(client, admin_user.email, "wrong")
    assert PAUSED in fifth.content.decode()
    # Even the right password waits, in the person's language too.
    right = admin_sign_in(client, admin_user.email, "pw")
    assert PAUSED in right.content.decode() and not signed_in(client)
    ja = admin_sign_in(client, admin_user.email, "pw", HTTP_ACCEPT_LANGUAGE="ja")
    assert "15分間" in ja.content.decode() and not signed_in(client)

    clock.shift(dt.timedelta(minutes=16))
    assert admin_sign_in(client, admin_user.email, "pw").status_code == 302
    assert signed_in(client)


def test_a_pause_from_the_sign_in_page_holds_on_the_admin(client, clock, admin_user):
    for _ in range(5):
        sign_in(client, admin_user.email, "wrong")
    other_browser = Client()
    response = admin_sign_in(other_browser, admin_user.email, "pw")
    assert PAUSED in response.content.decode()
    assert not signed_in(other_browser)


def test_a_pause_from_the_admin_holds_on_the_sign_in_page(client, clock, admin_user):
    for _ in range(5):
        admin_sign_in(client, admin_user.email, "wrong")
    response = sign_in(Client(), admin_user.email, "pw")
    assert PAUSED in response.content.decode()


def test_the_account_count_ignores_letter_case_and_spaces(client, clock, marketer):
    for variant in ("MARKETER@example.com", "Marketer@Example.com", " marketer@example.com"):
        sign_in(client, variant, "wrong")
    sign_in(client, "marketer@EXAMPLE.COM", "wrong")
    sign_in(client, "marketer@example.COM", "wrong")
    response = sign_in(client, marketer.email, "pw")
    assert PAUSED in response.content.decode() and not signed_in(client)


def test_the_address_count_spans_accounts_and_other_addresses_are_free(
    client, clock, settings, marketer
):
    settings.LOGIN_ATTEMPTS_PER_IP = 4
    for n in range(4):
        sign_in(client, f"guess{n}@example.com", "guess")
    assert PAUSED in sign_in(client, marketer.email, "pw").content.decode()
    assert sign_in(Client(), marketer.email, "pw", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_right_password_clears_the_accounts_failures(client, clock, marketer):
    for _round in range(2):
        for _ in range(4):
            sign_in(client, marketer.email, "wrong")
        assert sign_in(client, marketer.email, "pw").status_code == 302
        client.post(reverse("logout"))


def test_signing_in_to_ones_own_account_keeps_the_guesses_at_others(
    client, clock, settings, marketer
):
    settings.LOGIN_ATTEMPTS_PER_IP = 5
    for n in range(4):
        sign_in(client, f"guess{n}@example.com", "wrong")
    assert sign_in(client, marketer.email, "pw").status_code == 302
    client.post(reverse("logout"))
    sign_in(client, "guess9@example.com", "wrong")
    assert PAUSED in sign_in(client, marketer.email, "pw").content.decode()


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(
    client, clock, settings, marketer
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ATTEMPTS_PER_IP = 3
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(3):
        # The left-most entry is the client's own claim: it changes nothing.
        sign_in(
            client,
            f"guess{n}@example.com",
            "x",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
            **proxy,
        )
    paused = sign_in(client, marketer.email, "pw", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert PAUSED in paused.content.decode()
    # Another client behind the same proxy is not paused.
    other = sign_in(Client(), marketer.email, "pw", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert other.status_code == 302


def test_ipv6_neighbours_share_one_address_count(client, clock, settings, marketer):
    settings.LOGIN_ATTEMPTS_PER_IP = 3
    for n in range(3):
        sign_in(client, f"guess{n}@example.com", "x", REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    paused = sign_in(client, marketer.email, "pw", REMOTE_ADDR="2001:db8:1:2::ffff")
    assert PAUSED in paused.content.decode()
    assert sign_in(Client(), marketer.email, "pw", REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_the_pause_holds_while_the_cache_is_down(client, clock, settings, marketer):
    # A Redis nobody listens on: sign-in neither fails nor forgets its count.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    for _ in range(5):
        assert sign_in(client, marketer.email, "wrong").status_code == 200
    assert PAUSED in sign_in(client, marketer.email, "pw").content.decode()
    assert not signed_in(client)


def test_attempts_are_listed_in_the_admin(client, clock, admin_user, marketer):
    for _ in range(2):
        sign_in(Client(), marketer.email, "wrong", REMOTE_ADDR="192.0.2.44")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        marketer.email,
        "192.0.2.44",
        2,
    )
    assert "wrong" not in attempt.post_data  # the password is never stored
    client.force_login(admin_user)
    page = client.get(f"/{django_settings.ADMIN_URL}axes/accessattempt/").content.decode()
    assert marketer.email in page and "192.0.2.44" in page


@pytest.mark.parametrize("path", [reverse("login"), ADMIN_LOGIN])
def test_an_overlong_name_is_refused_with_a_message_and_not_recorded(client, path, admin_user):
    name = "東京都千代田区丸の内" * 30  # 300 characters; the lockout records 255 at most
    response = client.post(path, {"username": name, "password": "pw", "next": "/admin/"})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    ja = client.post(
        path, {"username": name, "password": "pw"}, HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()
    assert "254 文字以下" in ja
    assert not AccessAttempt.objects.exists() and not signed_in(client)
    # A name of the longest allowed length is an ordinary failed attempt, and counted.
    response = client.post(path, {"username": "a" * 242 + "@example.com", "password": "pw"})
    assert response.status_code == 200 and AccessAttempt.objects.count() == 1


@pytest.mark.parametrize("path", [reverse("login"), ADMIN_LOGIN])
def test_a_name_longer_in_lower_case_than_typed_is_counted_not_a_server_error(client, path):
    name = "İ" * 128  # within the form's 254 characters; 256 once in lower case
    for _ in range(2):
        response = client.post(path, {"username": name, "password": "pw"})
        assert response.status_code == 200 and not signed_in(client)
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 2 and len(attempt.username) == 255
