"""Writing outbox rows, and asking for their delivery once the change is committed.

The domain writes `Notification` rows in the transition's transaction and, after commit,
asks a worker to send them by the task's name: it never renders or sends anything itself,
so the delivery code (`interviews.notifications`) sits above it and can change alone.
If the broker cannot take the task, the rows wait in the outbox for the minute job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from celery import current_app
from django.db import transaction

from interviews.models import Notification
from interviews.workflow.slack_direct import with_direct_messages

log = logging.getLogger(__name__)

SEND_TASK = "interviews.tasks.send_notifications"
# One task sends up to this many rows.
ENQUEUE_CHUNK = 200


def queue_notifications(notifications: Iterable[Notification]) -> list[int]:
    """Insert the rows; after commit, hand their ids to a worker. Returns the ids."""
    notifications = with_direct_messages(list(notifications))
    if not notifications:
        return []
    created = Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in created]
    send_after_commit(ids)
    return ids


def send_after_commit(ids: Sequence[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: Sequence[int]) -> None:
    """Hand ids to a worker. Never raises: the rows are safe in the outbox either way."""
    for start in range(0, len(ids), ENQUEUE_CHUNK):
        chunk = list(ids[start : start + ENQUEUE_CHUNK])
        try:
            # Looked up by name in the app's registry (which runs it in-process when there
            # is no broker): the task module is an entry point above this one.
            # A short argsrepr: Celery's own (a safe repr of up to 200 ids, for monitoring)
            # was a third of the enqueue's time, and a tenth of a 10,000-request sweep's.
            current_app.tasks[SEND_TASK].apply_async(
                (chunk,), argsrepr=f"[{len(chunk)} notification ids]"
            )
        except Exception as error:  # the broker is down or refused: they wait in the outbox
            # One line per change while Redis is down, not a traceback each time.
            log.warning(
                "Could not enqueue %d notification(s) (%s: %s); they wait in the outbox.",
                len(chunk),
                type(error).__name__,
                error,
            )
            log.debug("Enqueue failure", exc_info=True)
