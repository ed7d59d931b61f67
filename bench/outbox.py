"""The outbox at scale: N pending notifications rendered and sent over SMTP to a local
sink (aiosmtpd on 127.0.0.1), through the same code the minute job uses."""

from __future__ import annotations

import dataclasses
import time

from django.test import override_settings
from django.utils import timezone

from interviews import outbox
from interviews.models import (
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from tests.smtp_sink import SmtpSink


@dataclasses.dataclass
class OutboxResult:
    emails: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.emails / self.seconds


def run(count: int) -> OutboxResult:
    now = timezone.now()
    requests = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .order_by("pk")
        .values_list("pk", "owner_id")[:count]
    )
    if len(requests) < count:
        raise SystemExit(f"only {len(requests)} requests wait for an owner; seed more")
    # Earlier steps (decisions timed on the pages) left their own emails pending.
    Notification.objects.filter(status=NotificationStatus.PENDING).update(
        status=NotificationStatus.SENT
    )
    Notification.objects.bulk_create(
        Notification(
            kind=NotificationKind.NEW_REQUEST,
            recipient_id=owner_id,
            request_id=request_id,
            unique_key=f"bench-outbox:{request_id}:{now.timestamp()}",
            next_attempt_at=now,
            created_at=now,
        )
        for request_id, owner_id in requests
    )
    sink = SmtpSink().start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
            EMAIL_USE_TLS=False,
        ):
            started = time.perf_counter()
            sent, failed = outbox.send_pending(now=now)
            seconds = time.perf_counter() - started
    finally:
        sink.stop()
    assert failed == 0 and sent == count, (sent, failed)
    assert len(sink.messages) == count
    Notification.objects.filter(unique_key__startswith="bench-outbox:").delete()
    assert not Notification.objects.filter(status=NotificationStatus.PENDING).exists()
    return OutboxResult(count, seconds)
