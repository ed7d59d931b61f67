"""A realistic dataset, inserted in bulk: people, accounts, candidates, requests in every
state with the events of their history, and the sent notifications they left behind.

Proportions follow what a company with a few hundred owners sees over three years: most
requests closed (completed, declined, customer said no, cancelled), a sixth still open,
at most one open request per account (as the product enforces).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account, Department, User
from interviews import calendar
from interviews.models import (
    Candidate,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outreach,
    Purpose,
    ReasonCategory,
    RequestEvent,
    Status,
)

BATCH = 5000

# Share of requests in each state. Open states are capped by the number of accounts.
CLOSED_SHARES = {
    Status.COMPLETED: 0.40,
    Status.DECLINED: 0.16,
    Status.CUSTOMER_DECLINED: 0.14,
    Status.CANCELLED: 0.14,
}
OPEN_SHARES = {
    Status.AWAITING_OWNER: 0.11,
    Status.OWNER_OUTREACH: 0.02,
    Status.MARKETING_OUTREACH: 0.02,
    Status.DEFERRED: 0.01,
    Status.SCHEDULED: 0.01,
}


@dataclasses.dataclass
class Size:
    requests: int = 100_000
    accounts: int = 20_000
    owners: int = 500
    marketers: int = 200
    managers: int = 20


@dataclasses.dataclass
class SeedReport:
    rows: dict[str, int]
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return sum(self.rows.values()) / self.seconds if self.seconds else 0.0


TABLES = [
    "interviews_notification",
    "interviews_requestevent",
    "interviews_comment",
    "interviews_interviewrequest_candidates",
    "interviews_interviewrequest",
    "interviews_candidate",
    "accounts_account",
    "accounts_user",
]


def wipe() -> None:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        names = ", ".join(t for t in TABLES if t in existing)
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def _people(size: Size, rng: random.Random) -> tuple[list[User], list[User], list[User]]:
    password = make_password("bench")  # one hash for everyone: seeding must be fast
    managers = [
        User(
            email=f"manager{i}@bench.example.com",
            name=f"Manager {i}",
            department=Department.SALES if i % 2 else Department.MARKETING,
            is_manager=True,
            password=password,
            language="ja" if i % 3 else "en",
        )
        for i in range(size.managers)
    ]
    User.objects.bulk_create(managers, batch_size=BATCH)
    owners = [
        User(
            email=f"owner{i}@bench.example.com",
            name=f"Owner {i}",
            department=Department.SALES if i % 3 else Department.CUSTOMER_SUCCESS,
            reports_to=managers[i % len(managers)],
            password=password,
            language="ja" if i % 4 else "en",
        )
        for i in range(size.owners)
    ]
    marketers = [
        User(
            email=f"marketer{i}@bench.example.com",
            name=f"Marketer {i}",
            department=Department.MARKETING,
            reports_to=managers[i % len(managers)],
            password=password,
            language="ja" if i % 2 else "en",
        )
        for i in range(size.marketers)
    ]
    User.objects.bulk_create(owners + marketers, batch_size=BATCH)
    return managers, owners, marketers


def _statuses(size: Size, rng: random.Random) -> list[str]:
    statuses: list[str] = []
    for status, share in OPEN_SHARES.items():
        statuses += [status] * int(size.requests * share)
    open_count = min(len(statuses), size.accounts)
    statuses = statuses[:open_count]
    closed = size.requests - len(statuses)
    total_share = sum(CLOSED_SHARES.values())
    for status, share in CLOSED_SHARES.items():
        statuses += [status] * int(closed * share / total_share)
    statuses += [Status.COMPLETED] * (size.requests - len(statuses))
    return statuses


def _history(status: str, filed: dt.datetime, rng: random.Random) -> list[tuple[str, str, dict]]:
    """(kind, to_status, details) after filing, ending in `status`."""
    reason = {"reason_category": rng.choice(ReasonCategory.values), "reason": "Seeded reason"}
    go_ahead = (EventKind.OWNER_GO_AHEAD, Status.MARKETING_OUTREACH, {})
    switched = (EventKind.DEADLINE_PASSED, Status.MARKETING_OUTREACH, {"was": "awaiting_owner"})
    outreach = rng.choice([go_ahead, go_ahead, switched])
    scheduled = (EventKind.SCHEDULED, Status.SCHEDULED, {"location": "Video call"})
    return {
        Status.AWAITING_OWNER: [],
        Status.OWNER_OUTREACH: [(EventKind.OWNER_WILL_REACH_OUT, Status.OWNER_OUTREACH, {})],
        Status.MARKETING_OUTREACH: [outreach],
        Status.DEFERRED: [(EventKind.DEFERRED, Status.DEFERRED, reason)],
        Status.SCHEDULED: [outreach, scheduled],
        Status.COMPLETED: [outreach, scheduled, (EventKind.COMPLETED, Status.COMPLETED, {})],
        Status.DECLINED: [(EventKind.DECLINED, Status.DECLINED, reason)],
        Status.CUSTOMER_DECLINED: [
            outreach,
            (EventKind.CUSTOMER_DECLINED, Status.CUSTOMER_DECLINED, {}),
        ],
        Status.CANCELLED: [(EventKind.CANCELLED, Status.CANCELLED, {"reason": "Campaign dropped"})],
    }[status]


def seed(size: Size, *, now: dt.datetime | None = None, random_seed: int = 42) -> SeedReport:
    now = now or timezone.now()
    rng = random.Random(random_seed)
    started = time.perf_counter()
    wipe()
    rows: dict[str, int] = {}
    with transaction.atomic():
        managers, owners, marketers = _people(size, rng)
        rows["users"] = len(managers) + len(owners) + len(marketers)

        accounts = [
            Account(
                name=f"Customer {i:05d} KK",
                crm_id=f"BENCH-{i:06d}",
                domain=f"customer{i}.example.jp",
                owner=owners[i % len(owners)],
            )
            for i in range(size.accounts)
        ]
        Account.objects.bulk_create(accounts, batch_size=BATCH)
        rows["accounts"] = len(accounts)

        candidates = [
            Candidate(
                account=a, name=f"Contact {a.pk}-{j}", email=f"c{j}@{a.domain}", title="Manager"
            )
            for a in accounts
            for j in range(2)
        ]
        Candidate.objects.bulk_create(candidates, batch_size=BATCH)
        rows["candidates"] = len(candidates)

        statuses = _statuses(size, rng)
        # Open requests get accounts of their own; closed ones spread over all accounts.
        open_accounts = list(range(size.accounts))
        rng.shuffle(open_accounts)
        requests: list[InterviewRequest] = []
        histories: list[list[tuple[str, str, dict]]] = []
        for i, status in enumerate(statuses):
            is_open = status in OPEN_SHARES
            account = accounts[open_accounts[i] if is_open else rng.randrange(size.accounts)]
            age_days = rng.uniform(0.1, 8) if is_open else rng.uniform(15, 3 * 365)
            filed = now - dt.timedelta(days=age_days)
            history = _history(status, filed, rng)
            request = InterviewRequest(
                account=account,
                requested_by=rng.choice(marketers),
                owner_at_filing=account.owner,
                owner=account.owner,
                purpose=rng.choice(Purpose.values),
                topic=f"Seeded topic {i}",
                questions="Why did you choose us?\nWhat changed?",
                status=status,
                response_window_days=5,
                window_started_at=filed,
                version=1 + len(history),
                created_at=filed,
                updated_at=filed,
                status_changed_at=filed + dt.timedelta(days=min(age_days / 2, 6)),
            )
            _state_fields(request, status, filed, now, history, rng)
            requests.append(request)
            histories.append(history)
        InterviewRequest.objects.bulk_create(requests, batch_size=BATCH)
        rows["requests"] = len(requests)

        links = InterviewRequest.candidates.through
        first_candidate = {}
        for candidate in candidates:
            first_candidate.setdefault(candidate.account_id, candidate.pk)
        link_rows = [
            links(interviewrequest_id=r.pk, candidate_id=first_candidate[r.account_id])
            for r in requests
        ]
        links.objects.bulk_create(link_rows, batch_size=BATCH)

        events: list[RequestEvent] = []
        notifications: list[Notification] = []
        for request, history in zip(requests, histories, strict=True):
            when = request.created_at
            events.append(
                RequestEvent(
                    request_id=request.pk,
                    actor_id=request.requested_by_id,
                    kind=EventKind.FILED,
                    from_status="",
                    to_status=Status.AWAITING_OWNER,
                    version=1,
                    details={},
                    created_at=when,
                )
            )
            notifications.append(
                _sent(NotificationKind.NEW_REQUEST, request.owner_id, request.pk, 1, when)
            )
            previous = Status.AWAITING_OWNER
            for version, (kind, to_status, details) in enumerate(history, start=2):
                when = when + dt.timedelta(hours=rng.uniform(4, 120))
                system = kind == EventKind.DEADLINE_PASSED
                events.append(
                    RequestEvent(
                        request_id=request.pk,
                        actor_id=None if system else request.owner_id,
                        kind=kind,
                        from_status=previous,
                        to_status=to_status,
                        version=version,
                        details=details,
                        created_at=min(when, now),
                    )
                )
                previous = to_status
            if history:
                notifications.append(
                    _sent(
                        NotificationKind.DECIDED,
                        request.requested_by_id,
                        request.pk,
                        request.version,
                        min(when, now),
                    )
                )
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
        rows["events"] = len(events)
        Notification.objects.bulk_create(notifications, batch_size=BATCH)
        rows["notifications"] = len(notifications)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return SeedReport(rows, time.perf_counter() - started)


def _sent(
    kind: str, recipient_id: int, request_id: int, version: int, when: dt.datetime
) -> Notification:
    return Notification(
        kind=kind,
        recipient_id=recipient_id,
        request_id=request_id,
        unique_key=f"{kind}:{request_id}:{version}:{recipient_id}",
        status=NotificationStatus.SENT,
        attempts=1,
        next_attempt_at=when,
        created_at=when,
        sent_at=when,
    )


def _state_fields(request, status, filed, now, history, rng) -> None:
    if status in (Status.AWAITING_OWNER, Status.OWNER_OUTREACH):
        due = calendar.deadline_after(filed if status == Status.AWAITING_OWNER else now, 5)
        # Still waiting means the deadline has not passed (the minute job would have switched it).
        request.response_due_at = due if due > now else calendar.deadline_after(now, 1)
        request.next_reminder_at = calendar.next_reminder_after(filed, request.response_due_at, now)
    if status != Status.AWAITING_OWNER and history and history[0][0] != EventKind.DEADLINE_PASSED:
        request.owner_responded_at = filed + dt.timedelta(hours=rng.uniform(2, 150))
    if status == Status.OWNER_OUTREACH:
        request.outreach_by = Outreach.OWNER
    if any(kind == EventKind.DEADLINE_PASSED for kind, _, _ in history):
        request.escalated = True
        request.outreach_by = Outreach.MARKETING
    elif status in (
        Status.MARKETING_OUTREACH,
        Status.SCHEDULED,
        Status.COMPLETED,
        Status.CUSTOMER_DECLINED,
    ):
        request.outreach_by = Outreach.MARKETING
    if status == Status.DEFERRED:
        request.deferral_count = rng.choice([1, 1, 2])
        request.deferred_until = (now + dt.timedelta(days=rng.randint(3, 30))).date()
        request.wake_at = calendar.wake_time(request.deferred_until)
    if status == Status.SCHEDULED:
        request.interview_at = now + dt.timedelta(days=rng.uniform(-3, 20))
    if status == Status.COMPLETED:
        request.interview_at = filed + dt.timedelta(days=rng.uniform(10, 40))
        request.outcome_summary = "Seeded outcome."
    if status in (Status.COMPLETED, Status.DECLINED, Status.CUSTOMER_DECLINED, Status.CANCELLED):
        request.closed_at = min(filed + dt.timedelta(days=rng.uniform(3, 60)), now)
