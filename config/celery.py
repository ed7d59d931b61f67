"""The Celery app and, in one place, every periodic schedule."""

import logging
import os

from celery import Celery, bootsteps
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("interview_relay")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger(__name__)

# Sends every outbox row that is due; the same task the web enqueues after each change.
SEND_OUTBOX_TASK = "interviews.tasks.send_notifications"


class SendOutboxOnConnect(bootsteps.StartStopStep):
    """Each time the worker connects to the broker (at start, and again after an outage),
    ask for the whole outbox to be sent.

    Tasks the web could not publish while Redis was down never reached any queue, and a
    Redis restarted without persistence lost those that had: their emails would otherwise
    wait for beat's next minute, or for ever if beat is down too."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c) -> None:
        try:
            c.app.send_task(SEND_OUTBOX_TASK, args=[None], retry=False)
        except Exception:  # the connection dropped again: the next connect asks again
            log.warning("Could not ask for the outbox to be sent after connecting", exc_info=True)


app.steps["consumer"].add(SendOutboxOnConnect)

app.conf.beat_schedule = {
    # Every minute: reminders due, overdue requests switched to marketing outreach,
    # deferred requests woken, and outbox rows that were never sent or need a retry.
    # Safe to overlap: the job claims rows with SKIP LOCKED and records what it did.
    "process-deadlines": {
        "task": "interviews.tasks.process_deadlines",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Mondays at 09:00 in CELERY_TIMEZONE (= TIME_ZONE; BUSINESS_TIME_ZONE defaults to it):
    # the managers' weekly digest. Running it twice sends nothing twice (one per ISO week).
    "weekly-digest": {
        "task": "interviews.tasks.send_weekly_digest",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
        "options": {"expires": 6 * 60 * 60},
    },
    # Daily at 03:30 in CELERY_TIMEZONE: CRM files uploaded for a preview that was never
    # confirmed or cancelled, once a day old, are deleted (customer data does not pile up
    # under var/imports/). Idempotent; `manage.py delete_stale_imports` does the same.
    "delete-stale-imports": {
        "task": "interviews.tasks.delete_stale_imports",
        "schedule": crontab(minute=30, hour=3),
        "options": {"expires": 6 * 60 * 60},
    },
    # Daily at 03:40: sign-in audit records (axes' access logs) older than
    # SIGN_IN_LOG_RETENTION_DAYS are deleted. Idempotent; `manage.py prune_sign_in_logs` too.
    "prune-sign-in-logs": {
        "task": "accounts.tasks.prune_sign_in_logs",
        "schedule": crontab(minute=40, hour=3),
        "options": {"expires": 6 * 60 * 60},
    },
    # Daily at 04:00 in CELERY_TIMEZONE, when the Slack app is installed: people not yet
    # found in Slack, or looked up more than SLACK_LOOKUP_MAX_AGE_DAYS ago, are looked up
    # by email again (a new hire, a changed address). Does nothing without a bot token.
    "slack-match-people": {
        "task": "interviews.tasks.slack_match_people",
        "schedule": crontab(minute=0, hour=4),
        "options": {"expires": 6 * 60 * 60},
    },
}
