"""Sending the notification outbox.

Rows are written by the workflow in the same transaction as the change. After commit the
workflow asks a worker to send them (`interviews.workflow.queueing`); if the broker is
down the rows wait for the minute job.

Sending never holds a transaction open while talking to SMTP:
1. claim a small batch in a short transaction (SKIP LOCKED), marking the rows `sending`
   with a lease that expires;
2. send each email with no transaction open;
3. record each result with its own conditional UPDATE.
A process that dies mid-batch leaves its rows `sending`; when the lease expires they go
back to `pending`. Only the email in flight at the crash can go out twice; nothing is lost
and nothing already recorded as sent is sent again. (A crash of the database itself can
also lose its last fraction of a second of recorded outcomes, which are then re-sent: see
`_no_flush_wait`.)

A temporary failure (server down, 4xx) is retried with backoff until
NOTIFICATION_RETRY_FOR_HOURS have passed, so an outage delays email and loses none. A
permanent one (5xx, or an email that cannot be rendered) fails at once, visibly, and can be
re-sent by an operator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from interviews.models import (
    WAITING_ON_OWNER_STATUSES,
    Channel,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from interviews.notifications import emails, slack, slack_dm

log = logging.getLogger(__name__)

# Emails that ask the owner to act make no sense once the request stopped waiting for them
# (a mail server down through the deadline must not deliver "please answer" afterwards).
_STILL_WAITING = {
    NotificationKind.NEW_REQUEST: (Status.AWAITING_OWNER,),
    NotificationKind.WOKE: (Status.AWAITING_OWNER,),
    NotificationKind.DEADLINE_EXTENDED: WAITING_ON_OWNER_STATUSES,
}


class PermanentFailure(Exception):
    """Retrying will not help (rejected recipient, an email that cannot be rendered)."""


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, twice that, four times… up to the cap."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def release_expired_leases(now: dt.datetime) -> int:
    """Rows left `sending` by a process that died go back to the queue."""
    return Notification.objects.filter(
        status=NotificationStatus.SENDING, next_attempt_at__lte=now
    ).update(status=NotificationStatus.PENDING)


def _claim(*, ids: Sequence[int] | None, now: dt.datetime, limit: int) -> list[int]:
    with transaction.atomic():
        qs = Notification.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lte=now
        )
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        claimed = list(
            qs.select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if claimed:
            Notification.objects.filter(pk__in=claimed).update(
                status=NotificationStatus.SENDING, next_attempt_at=now + _lease()
            )
    return claimed


def _load(ids: list[int]) -> list[Notification]:
    return list(
        Notification.objects.filter(pk__in=ids)
        .select_related(
            "recipient__reports_to",
            "request__account",
            "request__owner",
            "request__requested_by",
            "event__actor",
        )
        .prefetch_related("request__candidates")
        .order_by("created_at", "pk")
    )


def is_obsolete(notification: Notification) -> bool:
    # A direct message is the email's twin and lapses with it; a team post never does.
    if notification.channel == Channel.SLACK or notification.kind == NotificationKind.SLACK_REFRESH:
        return False
    if notification.kind == NotificationKind.REMINDER:
        return not InterviewRequest.objects.filter(
            pk__in=notification.payload.get("request_ids", []),
            owner=notification.recipient_id,
            status__in=WAITING_ON_OWNER_STATUSES,
        ).exists()
    statuses = _STILL_WAITING.get(notification.kind)
    request = notification.request
    if statuses is None or request is None:
        return False
    return request.status not in statuses or request.owner_id != notification.recipient_id


def _record(notification: Notification, **fields) -> bool:
    """Record an outcome unless the lease was lost (another worker re-queued the row).

    Each outcome is its own statement and transaction, so a crash of the sending process
    repeats at most the email in flight."""
    return bool(
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
            **fields
        )
    )


@contextlib.contextmanager
def _no_flush_wait() -> Iterator[None]:
    """On PostgreSQL, commits while sending do not wait for the disk flush.

    Losing the last fraction of a second of claims and outcomes in a database crash means
    a re-send, never a lost email, and the flush wait would otherwise be most of the cost
    of recording each email."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            # Never leave the setting on a connection that later work would reuse.
            log.warning("Could not reset synchronous_commit; closing the connection", exc_info=True)
            connection.close()


def _classify(exc: BaseException) -> bool:
    """True when retrying later may succeed."""
    if isinstance(exc, PermanentFailure):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # Connection refused or reset, timeouts, DNS, TLS, a server that hung up.
    return isinstance(exc, OSError | smtplib.SMTPException)


class _Mailer:
    """One SMTP connection for a batch, reopened once when the server drops it."""

    def __init__(self) -> None:
        self.connection = None

    def send(self, message) -> None:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = mail.get_connection()
                self.connection.open()
            message.connection = self.connection
            try:
                message.send()
                return
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                self.close()
                if attempt == 2:
                    raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # closing a broken connection may fail too
                log.debug("Closing the mail connection failed", exc_info=True)
            self.connection = None


def _deliver(notification: Notification, mailer: _Mailer) -> None:
    if notification.channel == Channel.SLACK_DM:
        try:
            slack_dm.deliver(notification)
        except slack_dm.SlackRejected as exc:
            raise PermanentFailure(str(exc)) from exc
        return
    if notification.channel == Channel.SLACK:
        try:
            slack.post(notification)
        except slack.SlackRejected as exc:
            raise PermanentFailure(str(exc)) from exc
        return
    try:
        message = emails.build_message(notification)
    except Exception as exc:
        raise PermanentFailure(f"cannot render the email: {exc!r}") from exc
    mailer.send(message)


def send_pending(
    *, ids: Sequence[int] | None = None, now: dt.datetime | None = None, limit: int | None = None
) -> tuple[int, int]:
    """Send due notifications, a batch at a time, until none are left.

    Returns (sent, failed attempts). Emails that no longer apply are marked obsolete.
    """
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATION_BATCH_SIZE
    release_expired_leases(now)
    sent = failed = 0
    mailer = _Mailer()
    try:
        with _no_flush_wait():
            # Every claimed row leaves `sending` below (or its lease expires), so this ends.
            while claimed := _claim(ids=ids, now=now, limit=limit):
                for notification in _load(claimed):
                    if is_obsolete(notification):
                        _record(notification, status=NotificationStatus.OBSOLETE)
                        continue
                    try:
                        _deliver(notification, mailer)
                    except Exception as exc:
                        _failed(notification, exc, now)
                        failed += 1
                        if _classify(exc):
                            mailer.close()
                    else:
                        _record(
                            notification,
                            status=NotificationStatus.SENT,
                            sent_at=timezone.now(),
                            attempts=notification.attempts + 1,
                            last_error="",
                        )
                        sent += 1
    finally:
        mailer.close()
    return sent, failed


def _failed(notification: Notification, exc: BaseException, now: dt.datetime) -> None:
    attempts = notification.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    give_up_at = notification.retry_until or (
        notification.created_at + dt.timedelta(hours=settings.NOTIFICATION_RETRY_FOR_HOURS)
    )
    retry_at = now + retry_delay(attempts)
    if not _classify(exc) or retry_at > give_up_at:
        _record(notification, status=NotificationStatus.FAILED, attempts=attempts, last_error=error)
        log.error("Notification %s failed for good: %s", notification.pk, error)
    else:
        _record(
            notification,
            status=NotificationStatus.PENDING,
            attempts=attempts,
            last_error=error,
            next_attempt_at=retry_at,
        )
        log.warning(
            "Notification %s not sent (attempt %d), retrying at %s: %s",
            notification.pk,
            attempts,
            retry_at,
            error,
        )


def resend_failed(*, ids: Sequence[int] | None = None, now: dt.datetime | None = None) -> int:
    """Operator action: put failed notifications back in the queue for another round."""
    now = now or timezone.now()
    qs = Notification.objects.filter(status=NotificationStatus.FAILED)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    # A fresh retry window from now, so a long-failed email gets its full set of retries.
    return qs.update(
        status=NotificationStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        retry_until=now + dt.timedelta(hours=settings.NOTIFICATION_RETRY_FOR_HOURS),
    )


def oldest_unsent_age(now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the oldest email still waiting has waited (for health checks)."""
    now = now or timezone.now()
    oldest = (
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENDING)
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else now - oldest
