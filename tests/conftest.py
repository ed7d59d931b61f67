from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings as django_settings

from accounts.models import Department
from config.celery import app as celery_app
from interviews import workflow
from interviews.models import Purpose
from tests.factories import AccountFactory, CandidateFactory, UserFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# A Monday in an ordinary week (no Japanese holidays nearby), mid-morning in Tokyo.
MONDAY_10AM = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)


def _is_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://...")
    for item in items:
        if "postgres" in item.keywords and not _is_postgres():
            item.add_marker(skip_pg)
        if "celery_worker" in item.keywords and not django_settings.REDIS_URL:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process unless a test starts a real worker."""
    if "celery_worker" in request.keywords:
        yield
        return
    from celery import current_app

    # Our app, and whichever app Celery considers current (a worker test may have set it).
    apps = {id(a): a for a in (celery_app, current_app._get_current_object())}.values()
    previous = [(a, a.conf.task_always_eager) for a in apps]
    for a in apps:
        a.conf.task_always_eager = True
    yield
    for a, value in previous:
        a.conf.task_always_eager = value


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.DEV_MAILBOX_DIR = tmp_path / "mailbox"
    # WhiteNoise serves collected files from here (tests use the finders); it only has to exist.
    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
    # Password hashing is deliberately slow; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests move the clock by weeks after signing in; session expiry has its own test.
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
    # A cache of the test's own: rate-limit counters and the job heartbeat start empty.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{tmp_path.name}",
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"fragments-{tmp_path.name}",
        },
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through LocaleMiddleware leaves
    the language it chose active in the thread, as it does between requests in a server."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def clock():
    """The clock stands still on Monday 30 Nov 2026, 10:00 Tokyo; move it with .move_to()."""
    with time_machine.travel(MONDAY_10AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def marketer(db):
    return UserFactory(
        email="marketer@example.com", name="Mai Marketer", department=Department.MARKETING
    )


@pytest.fixture
def other_marketer(db):
    return UserFactory(
        email="marketer2@example.com", name="Mark Other", department=Department.MARKETING
    )


@pytest.fixture
def sales(db):
    return UserFactory(email="sales@example.com", name="Sato Sales", department=Department.SALES)


@pytest.fixture
def cs(db):
    return UserFactory(
        email="cs@example.com", name="Chika CS", department=Department.CUSTOMER_SUCCESS
    )


@pytest.fixture
def manager(db):
    return UserFactory(
        email="manager@example.com",
        name="Mori Manager",
        department=Department.SALES,
        is_manager=True,
    )


@pytest.fixture
def account(sales):
    return AccountFactory(name="Acme KK", owner=sales)


@pytest.fixture
def candidate(account):
    return CandidateFactory(account=account, name="Tanaka Hanako", title="CIO")


@pytest.fixture
def file_request(marketer, account, candidate):
    """File a request through the workflow; keyword arguments override the defaults."""

    def _file(**overrides):
        values = {
            "by": marketer,
            "account": account,
            "candidates": [candidate],
            "purpose": Purpose.CASE_STUDY,
            "topic": "Why Acme moved its ledger to us",
            "questions": "What did you use before?\nWhat changed in month one?",
            "needed_by": None,
            "note_to_owner": "For the spring campaign.",
        }
        values.update(overrides)
        return workflow.request_file(**values)

    return _file
