"""The outbox at scale: N pending notifications rendered and sent over SMTP to a local
sink (aiosmtpd on 127.0.0.1, in a process of its own), through the same code the minute
job uses."""

from __future__ import annotations

import dataclasses
import time

from django.test import override_settings
from django.utils import timezone

from bench.senders import send_in_parallel
from bench.smtp_sink import SinkProcess
from interviews.models import (
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from interviews.notifications import outbox

# A Celery worker runs as many sender processes as the machine has cores by default.
WORKER_PROCESSES = 2


@dataclasses.dataclass
class OutboxResult:
    emails: int
    seconds: float
    senders: int

    @property
    def rate(self) -> float:
        return self.emails / self.seconds


def _queue(count: int, tag: str) -> None:
    """`count` new-request emails due now, to the owners of waiting requests."""
    now = timezone.now()
    requests = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .order_by("pk")
        .values_list("pk", "owner_id")[:count]
    )
    if len(requests) < count:
        raise SystemExit(f"only {len(requests)} requests wait for an owner; seed more")
    Notification.objects.bulk_create(
        Notification(
            kind=NotificationKind.NEW_REQUEST,
            recipient_id=owner_id,
            request_id=request_id,
            unique_key=f"bench-outbox:{tag}:{request_id}:{now.timestamp()}",
            next_attempt_at=now,
            created_at=now,
        )
        for request_id, owner_id in requests
    )


def _send_here(port: int) -> tuple[int, int, float]:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
    ):
        started = time.perf_counter()
        sent, failed = outbox.send_pending()
        return sent, failed, time.perf_counter() - started


def run(count: int, *, processes: int = WORKER_PROCESSES) -> list[OutboxResult]:
    """`count` emails sent by one process, then `count` more by `processes` at once."""
    # Earlier steps (decisions timed on the pages) left their own emails pending.
    Notification.objects.filter(status=NotificationStatus.PENDING).update(
        status=NotificationStatus.SENT
    )
    results = []
    for senders in (1, processes):
        _queue(count, tag=str(senders))
        with SinkProcess() as sink:
            if senders == 1:
                sent, failed, seconds = _send_here(sink.port)
            else:
                sent, failed, seconds = send_in_parallel(sink.port, senders)
            assert failed == 0 and sent == count, (sent, failed)
            assert sink.received == sink.complete == count, (sink.received, sink.complete)
        results.append(OutboxResult(count, seconds, senders))
    Notification.objects.filter(unique_key__startswith="bench-outbox:").delete()
    assert not Notification.objects.filter(status=NotificationStatus.PENDING).exists()
    return results
