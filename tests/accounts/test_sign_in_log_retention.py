"""The sign-in audit (who signed in, or failed, from where) is kept for
SIGN_IN_LOG_RETENTION_DAYS, then deleted by a daily job: an audit, not a permanent record."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse

from config.celery import app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _worker_tasks():
    """Load the tasks a worker loads at start (autodiscovery over the installed apps)."""
    app.loader.import_default_modules()


@pytest.fixture(autouse=True)
def _audit(settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 90


def _sign_in(client, email, password):
    client.post(reverse("login"), {"username": email, "password": password})
    client.logout()


def test_records_past_the_retention_are_deleted_and_recent_ones_kept(client, clock):
    old = UserFactory(email="old@example.com")
    recent = UserFactory(email="recent@example.com")
    _sign_in(client, old.email, "pw")
    _sign_in(client, old.email, "wrong")
    clock.shift(dt.timedelta(days=80))
    _sign_in(client, recent.email, "pw")
    _sign_in(client, recent.email, "wrong")
    assert AccessLog.objects.count() == 2 and AccessFailureLog.objects.count() == 2

    clock.shift(dt.timedelta(days=11))  # the first pair is 91 days old, the second 11
    app.tasks["accounts.tasks.prune_sign_in_logs"].apply()

    assert list(AccessLog.objects.values_list("username", flat=True)) == [recent.email]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [recent.email]


def test_the_command_reports_what_it_deleted(client, clock, capsys):
    _sign_in(client, UserFactory(email="a@example.com").email, "pw")
    clock.shift(dt.timedelta(days=91))
    call_command("prune_sign_in_logs")
    assert "1 sign-in records older than 90 days deleted" in capsys.readouterr().out
    assert not AccessLog.objects.exists()


def test_the_job_is_scheduled_daily():
    entry = app.conf.beat_schedule["prune-sign-in-logs"]
    assert entry["task"] in app.tasks
