"""`manage.py demo [addrport]`: try Interview Relay with nothing installed but uv.

Migrates the database (SQLite under var/ by default), loads the demo people, accounts and
requests if there are no users yet, prints how to get in, then serves the app with
Django's development server while the minute job runs in a thread of the same process.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.db.models import Count

from accounts.models import User
from interviews import demo_data, jobs
from interviews.models import InterviewRequest, Notification, NotificationStatus, Status
from interviews.notifications import devmailbox

log = logging.getLogger(__name__)

DEFAULT_ADDRPORT = "127.0.0.1:8000"
MINUTE_JOB_INTERVAL = 60  # seconds, as the Celery beat entry

# Same shapes runserver accepts: "8000", "0.0.0.0:8000", "[::1]:8000", "localhost:8000".
_ADDRPORT = re.compile(r"^(?:(?P<addr>\[[0-9a-fA-F:.]+\]|[^:\[\]]+):)?(?P<port>\d+)$")


def base_url(addrport: str) -> str:
    """The address to open in a browser for what runserver will listen on."""
    match = _ADDRPORT.match(addrport)
    if match is None:
        raise CommandError(f"{addrport!r} is not a port or address:port.")
    addr = match["addr"] or "127.0.0.1"
    if addr in ("0.0.0.0", "[::]"):  # noqa: S104 - listening everywhere: browse locally
        addr = "127.0.0.1"
    return f"http://{addr}:{match['port']}"


def run_minute_job_forever(stop: threading.Event, interval: float = MINUTE_JOB_INTERVAL) -> None:
    """What Celery beat does in production: process_deadlines now, then every minute."""
    while not stop.is_set():
        try:
            jobs.process_deadlines()
        except Exception:
            log.exception("The minute job failed; it runs again in %s seconds.", interval)
        finally:
            # This thread is not a request: nobody else closes its connection.
            close_old_connections()
            connection.close()
        stop.wait(interval)


class Command(BaseCommand):
    help = (
        "Run the demo: migrate, load demo data into an empty database, print the demo "
        "logins, then serve the app with the minute job running in-process."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default=DEFAULT_ADDRPORT,
            help=f"Address and port to serve on (default {DEFAULT_ADDRPORT}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all data (and the dev mailbox) and load the demo data again.",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare the database and demo data, print the logins, and exit.",
        )

    def handle(self, *args, addrport: str, reset: bool, no_serve: bool, **options) -> None:
        verbosity = options["verbosity"]
        url = base_url(addrport)
        if not no_serve and "SITE_URL" not in os.environ:
            # Links in the demo's emails should open this server, whatever its port.
            settings.SITE_URL = url

        self._prepare_database(verbosity)
        if reset:
            self._reset(verbosity)
        if User.objects.exists():
            self.stdout.write(
                f"Demo data already there ({User.objects.count()} users, "
                f"{InterviewRequest.objects.count()} requests): nothing loaded. "
                "Use --reset to start over."
            )
        else:
            self._load()

        self._print_welcome(url)
        if no_serve:
            return

        stop = threading.Event()
        threading.Thread(
            target=run_minute_job_forever, args=(stop,), name="demo-minute-job", daemon=True
        ).start()
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            stop.set()

    # --- Steps ----------------------------------------------------------------------------

    def _prepare_database(self, verbosity: int) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] == "django.db.backends.sqlite3" and str(db["NAME"]) != ":memory:":
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write(f"Database ready: {_describe_database()}")

    def _reset(self, verbosity: int) -> None:
        call_command("flush", interactive=False, verbosity=max(verbosity - 1, 0))
        removed = devmailbox.clear()
        self.stdout.write(f"Reset: database emptied, {removed} emails removed from the mailbox.")

    def _load(self) -> None:
        self.stdout.write("Loading demo data…")
        started = time.monotonic()
        try:
            # With no broker, every email is sent the moment its change commits, and the dev
            # mailbox echoes each to stdout: keep the dozens of back-dated ones off the
            # console. They are all in the mailbox.
            with contextlib.redirect_stdout(io.StringIO()), _quiet("celery.app.trace"):
                counts = demo_data.load_demo_data()
        except Exception as exc:
            # The database was empty before: empty it again, so the next start retries.
            call_command("flush", interactive=False, verbosity=0)
            raise CommandError(f"Loading the demo data failed, nothing was kept: {exc}") from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded "
                + ", ".join(f"{n} {name}" for name, n in counts.items())
                + f" in {elapsed:.1f} s."
            )
        )
        by_status = dict(
            InterviewRequest.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        self.stdout.write(
            "Requests by state: "
            + ", ".join(f"{status} {by_status.get(status, 0)}" for status in Status.values)
        )
        emailed = Notification.objects.filter(status=NotificationStatus.SENT).count()
        waiting = Notification.objects.filter(status=NotificationStatus.PENDING).count()
        if emailed:
            self.stdout.write(f"{emailed} emails from the back-dated history are in the mailbox.")
        if waiting:
            self.stdout.write(f"{waiting} emails wait for the minute job to send them.")

    def _print_welcome(self, url: str) -> None:
        admin_path = "/" + settings.ADMIN_URL.lstrip("/")
        width = max(len(u.email) for u in demo_data.MAIN_USERS)
        name_width = max(len(u.name) for u in demo_data.MAIN_USERS)
        lines = [
            "",
            self.style.MIGRATE_HEADING("Interview Relay demo"),
            f"  App:          {url}/",
            f"  Dev mailbox:  {url}/dev/mailbox/   (every email the app sends)",
            f"  Admin:        {url}{admin_path}",
            "  Minute job:   runs in this process (reminders, deadline switches, wake-ups,",
            f"                outbox) at start and every {MINUTE_JOB_INTERVAL} seconds",
            "",
            f"  Sign in as (password for everyone: {demo_data.DEMO_PASSWORD})",
        ]
        for user in demo_data.MAIN_USERS:
            lines.append(
                f"    {user.email:<{width}}  {user.name:<{name_width}}  "
                f"{user.language}  {user.role}"
            )
        lines.append(
            "  Other colleagues (same password): "
            + ", ".join(u.email for u in demo_data.USERS if not u.main)
        )
        lines.append("")
        self.stdout.write("\n".join(lines))
        if not settings.DEBUG:
            self.stderr.write(
                "WARNING: DEBUG is off, so the dev mailbox (/dev/mailbox/) and static files "
                "(CSS, JS) will not be served. Unset DEBUG (or set DEBUG=true) for the demo."
            )


@contextlib.contextmanager
def _quiet(logger_name: str):
    """Only warnings from this logger for a while (Celery logs every eager task)."""
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"SQLite {db['NAME']}"
    return f"{connection.vendor} {db.get('NAME', '')} on {db.get('HOST') or 'localhost'}"
