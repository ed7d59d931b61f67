"""What operators rely on: health endpoints that tell the truth, security headers, sign-in
lockout, rate limits, request ids in logs without secrets, and a clean deploy check."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.celery import app
from interviews import jobs, links, workflow
from interviews.models import InterviewRequest, Notification, Status
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]


def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_after_the_minute_job_ran(client, clock):
    jobs.process_deadlines()
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "broker", "cache", "outbox", "process_deadlines"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["status"] == "ready" and body["degraded"] == []


def test_not_ready_when_the_minute_job_is_stale(client, clock, settings):
    settings.JOB_STALE_MINUTES = 5
    jobs.process_deadlines()
    clock.shift(dt.timedelta(minutes=6))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["process_deadlines"]["ok"] is False


def test_not_ready_before_the_minute_job_ever_ran(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["process_deadlines"]["detail"] == "has not run yet"


def test_degraded_but_ready_when_the_broker_is_unreachable(client, clock, caplog):
    """Emails wait in the outbox and every answer is still recorded: a load balancer must
    not take the web out of service for it."""
    jobs.process_deadlines()
    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    try:
        response = client.get("/readyz")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["broker"]["ok"] is False
    assert body["status"] == "degraded" and body["degraded"] == ["broker"]
    # Anyone may ask /readyz: the error's kind is enough there; where the broker lives
    # (host, port, and in other errors users) goes to the operators' log.
    assert body["checks"]["broker"]["detail"] == "OperationalError (details in the log)"
    assert "127.0.0.1:1" not in response.content.decode()
    assert "127.0.0.1:1" in caplog.text


def test_not_ready_when_email_is_stuck(client, clock, file_request, settings):
    settings.NOTIFICATION_STALE_MINUTES = 30
    settings.EMAIL_BACKEND = "tests.test_ops.RefusingBackend"
    file_request()
    jobs.process_deadlines()
    assert Notification.objects.get().status == "pending"
    clock.shift(dt.timedelta(minutes=31))
    jobs.process_deadlines()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "oldest unsent email waiting 31 min" in response.json()["checks"]["outbox"]["detail"]


class RefusingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_pages_carry_security_headers_and_a_strict_csp(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    # The two framing rules agree: no page may be framed, by anyone.
    assert response["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def _sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_sign_in_pauses_after_repeated_failures_then_recovers(client, clock, marketer, settings):
    settings.LOGIN_ATTEMPTS_PER_ACCOUNT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    for _ in range(3):
        assert _sign_in(client, marketer.email, "wrong").status_code == 200
    locked = _sign_in(client, marketer.email, "pw")  # even the right password waits
    assert locked.status_code == 200
    assert "paused for 15 minutes" in locked.content.decode()
    ja = _sign_in(client, marketer.email, "pw", HTTP_ACCEPT_LANGUAGE="ja")
    assert "15" in ja.content.decode()

    clock.shift(dt.timedelta(minutes=16))
    assert _sign_in(client, marketer.email, "pw").status_code == 302


def test_sign_in_pauses_per_address_across_accounts(client, clock, marketer, sales, settings):
    settings.LOGIN_ATTEMPTS_PER_IP = 4
    for email in ("a@example.com", "b@example.com", "c@example.com", "d@example.com"):
        _sign_in(client, email, "guess")
    assert _sign_in(client, sales.email, "pw").status_code == 200
    assert _sign_in(client, sales.email, "pw", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_answer_links_are_rate_limited_per_link(client, settings):
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 5
    url = "/r/not-a-token/defer/"
    codes = [client.get(url).status_code for _ in range(7)]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
    # The same link from elsewhere is still refused; another link from here is not.
    assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert client.get("/r/another-token/defer/").status_code == 400


def test_an_office_answering_from_one_address_is_not_refused(client, settings, marketer, sales):
    """31 owners behind one outgoing address each open their link, answer, and see the
    result: 93 requests from one address in a minute, none refused."""
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 5
    paths = []
    for i in range(31):
        account = AccountFactory(owner=sales, name=f"Office Customer {i}")
        request = workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"Topic {i}",
            questions="Why us?",
        )
        token = links.make_token(request, sales)
        paths.append(reverse("action_link", args=[token, "owner_go_ahead"]))
    codes = []
    for path in paths:
        codes.append(client.get(path).status_code)
        codes.append(client.post(path, {"note": ""}, follow=True).status_code)
    assert codes == [200] * 62
    assert InterviewRequest.objects.filter(status=Status.MARKETING_OUTREACH).count() == 31


def test_answer_links_have_a_ceiling_per_address(client, settings):
    settings.ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE = 6
    codes = [client.get(f"/r/token-{i}/defer/").status_code for i in range(8)]
    assert codes[:6] == [400] * 6 and codes[6:] == [429, 429]
    assert client.get("/r/token-x/defer/", REMOTE_ADDR="10.9.9.9").status_code == 400


def test_access_log_has_the_request_id_and_no_link_token(client, caplog):
    with caplog.at_level(logging.INFO, logger="interview_relay.access"):
        response = client.get(
            "/r/SECRET-TOKEN-VALUE:abc/defer/", HTTP_X_REQUEST_ID="proxy-id-12345"
        )
    assert response["X-Request-ID"] == "proxy-id-12345"
    (record,) = [r for r in caplog.records if r.name == "interview_relay.access"]
    assert record.path == "/r/[redacted]/defer/"
    assert record.request_id == "proxy-id-12345"
    assert "SECRET-TOKEN-VALUE" not in caplog.text


def test_access_log_has_no_password_reset_token(client, marketer, caplog):
    """Whoever reads the logs must not be able to take over an account from them (mail
    scanners open reset links too, so the line exists even if the colleague never did)."""
    uid = urlsafe_base64_encode(force_bytes(marketer.pk))
    token = default_token_generator.make_token(marketer)
    with caplog.at_level(logging.INFO, logger="interview_relay.access"):
        opened = client.get(reverse("password_reset_confirm", args=[uid, token]))
        form = client.get(opened["Location"])
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    paths = [r.path for r in caplog.records if r.name == "interview_relay.access"]
    assert paths == [
        f"/password-reset/{uid}/[redacted]/",
        f"/password-reset/{uid}/set-password/",
    ]
    assert token not in caplog.text


def test_a_session_expires(client, clock, marketer, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    client.force_login(marketer)
    assert client.get(reverse("home")).status_code == 200
    clock.shift(dt.timedelta(hours=2))
    assert client.get(reverse("home")).status_code == 302


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DEBUG"}
        # set by the browser tests for their own process, not part of a deployment
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="relay.example.com",
        EMAIL_URL="smtp://mail.example.com:587",
        SITE_URL="https://relay.example.com",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
