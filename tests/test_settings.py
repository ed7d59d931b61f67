"""Settings come from the environment and fail loudly, naming the variable, when malformed.

Settings are process-global, so every case starts a fresh Python process that runs
`django.setup()` with its own environment and prints the settings it got as JSON. Each
takes 0.5-1 s of CPU, so the selected cases are started together, a few at a time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (REPO / "config" / "settings.py").read_text()

# Every variable settings.py reads (env_x("NAME", ...) / env.str("NAME", ...)), so the
# developer's own environment cannot leak into a case.
SETTINGS_VARIABLES = set(re.findall(r'\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS_SOURCE)) | {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DEBUG",
    "SECRET_KEY",
}

REPORTED = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASES",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "DEV_MAILBOX_DIR",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "BUSINESS_TIME_ZONE",
    "BUSINESS_HOLIDAYS_COUNTRY",
    "BUSINESS_EXTRA_CLOSED_DAYS",
    "START_OF_BUSINESS",
    "CLOSE_OF_BUSINESS",
    "RESPONSE_WINDOW_BUSINESS_DAYS",
    "REMINDER_BUSINESS_DAYS_BEFORE",
]

CHILD = f"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
report = {{name: getattr(settings, name, None) for name in {REPORTED!r}}}
report["SECRET_KEY"] = settings.SECRET_KEY
print(json.dumps(report, default=str))
"""

pytestmark = pytest.mark.skipif(
    (REPO / ".env").exists(),
    reason="a .env file in the repository would fill in the variables these tests unset",
)


TEST_SECRET = "s3cret-for-tests"

CASES: dict[str, dict[str, str]] = {
    # Malformed: startup must stop.
    "window-five": {"RESPONSE_WINDOW_BUSINESS_DAYS": "five"},
    "window-zero": {"RESPONSE_WINDOW_BUSINESS_DAYS": "0"},
    "debug-maybe": {"DEBUG": "maybe"},
    "time-zone": {"TIME_ZONE": "Mars/Olympus"},
    "country": {"BUSINESS_HOLIDAYS_COUNTRY": "XX"},
    "close-25:99": {"CLOSE_OF_BUSINESS": "25:99"},
    "reminders": {"REMINDER_BUSINESS_DAYS_BEFORE": "2,x"},
    "closed-days": {"BUSINESS_EXTRA_CLOSED_DAYS": "13-45"},
    "database-url": {"DATABASE_URL": "notaurl://"},
    "database-url-empty": {"DATABASE_URL": ""},
    "email-url": {"EMAIL_URL": "notaurl://mail"},
    "site-url": {"SITE_URL": "example.com"},
    "no-secret-key": {"DEBUG": "false", "ALLOWED_HOSTS": "relay.example.com"},
    "no-hosts": {"DEBUG": "false", "SECRET_KEY": TEST_SECRET},
    "start-after-close": {"START_OF_BUSINESS": "19:00", "CLOSE_OF_BUSINESS": "18:00"},
    "close-with-offset": {"CLOSE_OF_BUSINESS": "18:00+09:00"},
    "subdivision": {"BUSINESS_HOLIDAYS_SUBDIVISION": "ZZ"},
    "no-reminders": {"REMINDER_BUSINESS_DAYS_BEFORE": ","},
    "reminder-too-early": {"REMINDER_BUSINESS_DAYS_BEFORE": "99"},
    "retry-cap-below-base": {
        "NOTIFICATION_RETRY_BASE_SECONDS": "600",
        "NOTIFICATION_RETRY_MAX_SECONDS": "1",
    },
    "admin-at-root": {"ADMIN_URL": "/"},
    "slack-user-token": {"SLACK_BOT_TOKEN": "xoxp-a-user-token-not-the-bot-s"},
    "slack-without-secret": {"SLACK_BOT_TOKEN": "xoxb-1-2-bot"},
    "production-without-mail": {
        "DEBUG": "false",
        "SECRET_KEY": TEST_SECRET,
        "ALLOWED_HOSTS": "relay.example.com",
    },
    # Valid.
    "defaults": {},
    "broker-and-mail": {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://127.0.0.1:1025",
    },
    "calendar-knobs": {
        "BUSINESS_HOLIDAYS_COUNTRY": "us",
        "BUSINESS_TIME_ZONE": "America/New_York",
        "BUSINESS_EXTRA_CLOSED_DAYS": "12-31, 01-02,01-03",
        "START_OF_BUSINESS": "08:30",
        "CLOSE_OF_BUSINESS": "17:00",
        "RESPONSE_WINDOW_BUSINESS_DAYS": "3",
        "REMINDER_BUSINESS_DAYS_BEFORE": "0,1,1",
    },
    "production": {
        "DEBUG": "false",
        "SECRET_KEY": TEST_SECRET,
        "ALLOWED_HOSTS": "relay.example.com,www.relay.example.com",
        "EMAIL_URL": "smtp://mail.example.com:587",
    },
}


@dataclass
class Outcome:
    result: subprocess.CompletedProcess[str]
    var_dir: Path

    @property
    def settings(self) -> dict:
        assert self.result.returncode == 0, self.result.stderr
        return json.loads(self.result.stdout)

    @property
    def error_line(self) -> str:
        """The exception line of the traceback (the source lines above it name variables too)."""
        lines = [line for line in self.result.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def _load_settings(var_dir: Path, variables: dict[str, str]) -> Outcome:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["VAR_DIR"] = str(var_dir)
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Outcome(result, var_dir)


@pytest.fixture(scope="module")
def startup(request, tmp_path_factory):
    """`startup(case)`: the outcome of starting Django with CASES[case] in the environment."""
    selected = sorted(
        {
            item.callspec.params["case"]
            for item in request.session.items
            if getattr(item, "module", None) is request.module
            and "case" in getattr(getattr(item, "callspec", None), "params", {})
        }
    )
    futures: dict[str, Future[Outcome]] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:

        def submit(case: str) -> Future[Outcome]:
            if case not in futures:
                var_dir = tmp_path_factory.mktemp(case.replace(":", "-")) / "var"
                futures[case] = pool.submit(_load_settings, var_dir, CASES[case])
            return futures[case]

        for case in selected:
            submit(case)
        yield lambda case: submit(case).result()


# --- Malformed values stop the process --------------------------------------------------


@pytest.mark.parametrize(
    ("case", "name"),
    [
        ("window-five", "RESPONSE_WINDOW_BUSINESS_DAYS"),
        ("window-zero", "RESPONSE_WINDOW_BUSINESS_DAYS"),
        ("debug-maybe", "DEBUG"),
        ("time-zone", "TIME_ZONE"),
        ("country", "BUSINESS_HOLIDAYS_COUNTRY"),
        ("close-25:99", "CLOSE_OF_BUSINESS"),
        ("reminders", "REMINDER_BUSINESS_DAYS_BEFORE"),
        ("closed-days", "BUSINESS_EXTRA_CLOSED_DAYS"),
        ("database-url", "DATABASE_URL"),
        ("database-url-empty", "DATABASE_URL"),
        ("email-url", "EMAIL_URL"),
        ("site-url", "SITE_URL"),
        ("no-secret-key", "SECRET_KEY"),
        ("no-hosts", "ALLOWED_HOSTS"),
        ("start-after-close", "START_OF_BUSINESS"),
        ("close-with-offset", "CLOSE_OF_BUSINESS"),
        ("subdivision", "BUSINESS_HOLIDAYS_SUBDIVISION"),
        ("no-reminders", "REMINDER_BUSINESS_DAYS_BEFORE"),
        ("reminder-too-early", "REMINDER_BUSINESS_DAYS_BEFORE"),
        ("retry-cap-below-base", "NOTIFICATION_RETRY_MAX_SECONDS"),
        ("admin-at-root", "ADMIN_URL"),
        ("slack-user-token", "SLACK_BOT_TOKEN"),
        ("slack-without-secret", "SLACK_SIGNING_SECRET"),
        ("production-without-mail", "EMAIL_URL"),
    ],
)
def test_malformed_value_stops_startup_naming_the_variable(startup, case, name):
    outcome = startup(case)
    assert outcome.result.returncode != 0
    assert outcome.result.stdout == ""
    line = outcome.error_line
    assert line.startswith("django.core.exceptions.ImproperlyConfigured:"), outcome.result.stderr
    assert name in line


@pytest.mark.parametrize("case", ["slack-user-token"])
def test_a_malformed_slack_token_is_not_repeated_in_the_message(startup, case):
    assert "xoxp-a-user-token" not in startup(case).result.stderr


@pytest.mark.parametrize("case", ["window-five"])
def test_the_message_shows_the_bad_value(startup, case):
    line = startup(case).error_line
    assert "RESPONSE_WINDOW_BUSINESS_DAYS='five'" in line
    assert "whole number" in line


@pytest.mark.parametrize("case", ["start-after-close"])
def test_business_hours_message_names_both_variables(startup, case):
    line = startup(case).error_line
    assert "START_OF_BUSINESS" in line
    assert "CLOSE_OF_BUSINESS" in line


# --- Valid configurations ---------------------------------------------------------------


@pytest.mark.parametrize("case", ["defaults"])
def test_nothing_set_gives_the_demo_configuration(startup, case):
    outcome = startup(case)
    settings = outcome.settings
    assert settings["DEBUG"] is True
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(outcome.var_dir / "interview_relay.sqlite3")
    assert settings["CELERY_BROKER_URL"] == "memory://localhost/"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["EMAIL_BACKEND"] == "interviews.notifications.devmailbox.DevMailboxBackend"
    assert settings["DEV_MAILBOX_DIR"] == str(outcome.var_dir / "mailbox")
    assert settings["SECRET_KEY"]
    assert "localhost" in settings["ALLOWED_HOSTS"]
    # The business calendar the product is specified with.
    assert settings["BUSINESS_TIME_ZONE"] == "Asia/Tokyo"
    assert settings["BUSINESS_HOLIDAYS_COUNTRY"] == "JP"
    assert settings["BUSINESS_EXTRA_CLOSED_DAYS"] == []
    assert settings["START_OF_BUSINESS"] == "09:00:00"
    assert settings["CLOSE_OF_BUSINESS"] == "18:00:00"
    assert settings["RESPONSE_WINDOW_BUSINESS_DAYS"] == 5
    assert settings["REMINDER_BUSINESS_DAYS_BEFORE"] == [2, 0]
    # Loading settings writes nothing.
    assert not outcome.var_dir.exists()


@pytest.mark.parametrize("case", ["broker-and-mail"])
def test_broker_and_mail_server(startup, case):
    settings = startup(case).settings
    assert settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["EMAIL_HOST"] == "127.0.0.1"
    assert settings["EMAIL_PORT"] == 1025
    assert settings["EMAIL_USE_TLS"] is False


@pytest.mark.parametrize("case", ["calendar-knobs"])
def test_business_calendar_knobs(startup, case):
    settings = startup(case).settings
    assert settings["BUSINESS_HOLIDAYS_COUNTRY"] == "US"
    assert settings["BUSINESS_TIME_ZONE"] == "America/New_York"
    assert settings["BUSINESS_EXTRA_CLOSED_DAYS"] == [[12, 31], [1, 2], [1, 3]]
    assert settings["START_OF_BUSINESS"] == "08:30:00"
    assert settings["CLOSE_OF_BUSINESS"] == "17:00:00"
    assert settings["RESPONSE_WINDOW_BUSINESS_DAYS"] == 3
    assert settings["REMINDER_BUSINESS_DAYS_BEFORE"] == [1, 0]


@pytest.mark.parametrize("case", ["production"])
def test_production_configuration(startup, case):
    settings = startup(case).settings
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == TEST_SECRET
    assert settings["ALLOWED_HOSTS"] == ["relay.example.com", "www.relay.example.com"]
