"""Sending the notification outbox.

Rows are written by the workflow in the same transaction as the change. After commit a
task is enqueued to send them; if the broker is down the rows simply wait for the minute
job. Sending claims rows with SKIP LOCKED and re-checks their status, so a task and the
job (or two workers) never send the same row twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from interviews.models import Notification, NotificationStatus

log = logging.getLogger(__name__)

# Celery chunks: one task sends up to this many rows.
ENQUEUE_CHUNK = 200


def send_after_commit(ids: Sequence[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: Sequence[int]) -> None:
    """Hand ids to a worker. Never raises: the rows are safe in the outbox either way."""
    from interviews.tasks import send_notifications

    for start in range(0, len(ids), ENQUEUE_CHUNK):
        chunk = list(ids[start : start + ENQUEUE_CHUNK])
        try:
            send_notifications.delay(chunk)
        except Exception:  # the broker is down or refused: the minute job will send them
            log.warning(
                "Could not enqueue %d notification(s); the minute job will send them.",
                len(chunk),
                exc_info=True,
            )


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, twice that, four times… up to the cap."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def send_pending(
    *, ids: Sequence[int] | None = None, now: dt.datetime | None = None, limit: int | None = None
) -> tuple[int, int]:
    """Send pending notifications that are due, one batch at a time, until none are left.

    Returns (sent, failed attempts).
    """
    from interviews.emails import build_message

    now = now or timezone.now()
    limit = limit or settings.JOB_BATCH_SIZE
    sent = failed = 0
    # Each pass either sends a row or pushes its next attempt past `now`, so it ends.
    while True:
        with transaction.atomic():
            qs = Notification.objects.filter(
                status=NotificationStatus.PENDING, next_attempt_at__lte=now
            )
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            batch = list(
                qs.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "recipient__reports_to",
                    "request__account",
                    "request__owner",
                    "request__requested_by",
                )
                .prefetch_related("request__candidates")
                .order_by("next_attempt_at", "pk")[:limit]
            )
            if not batch:
                break
            connection = mail.get_connection()
            try:
                connection.open()
            except Exception as exc:
                for notification in batch:
                    _failed(notification, exc, now)
                failed += len(batch)
                continue
            try:
                for notification in batch:
                    try:
                        message = build_message(notification, connection=connection)
                        message.send()
                    except Exception as exc:
                        _failed(notification, exc, now)
                        failed += 1
                    else:
                        notification.status = NotificationStatus.SENT
                        notification.sent_at = timezone.now()
                        notification.attempts += 1
                        notification.last_error = ""
                        notification.save(
                            update_fields=["status", "sent_at", "attempts", "last_error"]
                        )
                        sent += 1
            finally:
                try:
                    connection.close()
                except Exception:  # closing a broken SMTP connection may fail too
                    log.debug("Closing the mail connection failed", exc_info=True)
    return sent, failed


def _failed(notification: Notification, exc: BaseException, now: dt.datetime) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED
        log.error(
            "Notification %s failed for good after %d attempts: %s",
            notification.pk,
            notification.attempts,
            notification.last_error,
        )
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        log.warning(
            "Notification %s not sent (attempt %d), retrying at %s: %s",
            notification.pk,
            notification.attempts,
            notification.next_attempt_at,
            notification.last_error,
        )
    notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def resend_failed(*, ids: Sequence[int] | None = None, now: dt.datetime | None = None) -> int:
    """Operator action: put failed notifications back in the queue for another round."""
    now = now or timezone.now()
    qs = Notification.objects.filter(status=NotificationStatus.FAILED)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(status=NotificationStatus.PENDING, attempts=0, next_attempt_at=now)
