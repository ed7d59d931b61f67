"""Races on PostgreSQL with many attempts at once: every way to move one request racing
every other, double submits of each form through the web, four sweeps with all three kinds
of due work, and a lock-order race between a CRM import and an owner's decline.

Exactly one transition each; every loser gets a domain error (a clear page, never a 500);
no deadlock. Already covered in tests/interviews/test_concurrency.py (pairs and triples:
two sweeps, decision vs sweep, a triple decision, two marketers filing, reassignment vs
decline) and tests/interviews/test_action_link_races.py (an email click vs the job, a
triple submit of an email link); here the same questions are asked with 8 at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from interviews import jobs, links, workflow
from interviews.crm_import.service import run_import
from interviews.errors import WorkflowError
from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationStatus,
    RequestEvent,
    Status,
)
from tests.concurrency import run_together
from tests.conftest import MONDAY_10AM
from tests.factories import AccountFactory, CandidateFactory
from tests.reliability.conftest import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
OK_STATUSES = {200, 302, 400, 403, 404, 409, 410}


def file_one(marketer, owner, *, days_ago: int = 0, name: str | None = None) -> InterviewRequest:
    account = AccountFactory(owner=owner, **({"name": name} if name else {}))
    return workflow.request_file(
        by=marketer,
        account=account,
        candidates=[CandidateFactory(account=account)],
        purpose="research",
        topic="Why us",
        questions="What changed?",
        now=timezone.now() - dt.timedelta(days=days_ago),
    )


def transitions(request_id: int) -> list[str]:
    """Events that changed the request after it was filed (reminders change nothing)."""
    return list(
        RequestEvent.objects.filter(request_id=request_id)
        .exclude(kind__in=[EventKind.FILED, EventKind.REMINDER_SENT])
        .values_list("kind", flat=True)
    )


def assert_no_duplicate_notifications() -> None:
    keys = list(Notification.objects.values_list("unique_key", flat=True))
    assert len(keys) == len(set(keys))


# --- Every way to move one request, eight at once ------------------------------------------


ROUNDS = 6


def eight_attempts(rid: int, marketer, sales, cs, manager) -> dict:
    return {
        "owner_go_ahead": lambda: workflow.request_owner_go_ahead(
            request_id=rid, by=sales, expected_version=1
        ),
        "owner_will_reach_out": lambda: workflow.request_owner_will_reach_out(
            request_id=rid, by=sales, expected_version=1
        ),
        "decline": lambda: workflow.request_decline(
            request_id=rid,
            by=sales,
            reason_category="open_issue",
            reason="Escalation",
            expected_version=1,
        ),
        "defer": lambda: workflow.request_defer(
            request_id=rid,
            by=sales,
            until=workflow.deferral_range()[0],
            reason_category="bad_timing",
            reason="QBR",
            expected_version=1,
        ),
        "sweep": lambda: workflow.switch_overdue_batch(ids=[rid]) or None,
        "force_switch": lambda: workflow.request_force_switch(
            request_id=rid, by=manager, reason="Waited enough", expected_version=1
        ),
        "reassign": lambda: workflow.request_reassign_owner(
            request_id=rid, by=manager, new_owner=cs, reason="Sato left", expected_version=1
        ),
        "cancel": lambda: workflow.request_cancel(
            request_id=rid, by=marketer, reason="Campaign dropped", expected_version=1
        ),
    }


def test_eight_ways_to_move_an_overdue_request_at_once_exactly_one_wins(
    marketer, sales, cs, manager
):
    """Owner (four answers), the deadline sweep, a manager (force, reassign) and the
    marketer (cancel) all act on the version they saw, at the same instant."""
    winners: Counter[str] = Counter()
    for _ in range(ROUNDS):
        request = file_one(marketer, sales, days_ago=20)
        attempts = eight_attempts(request.pk, marketer, sales, cs, manager)
        rid = request.pk
        assert len(attempts) == THREADS
        results = dict(zip(attempts, run_together(*attempts.values()), strict=True))
        won = [
            name for name, (kind, value) in results.items() if kind == "ok" and value is not None
        ]
        assert len(won) == 1, results
        for name, (kind, value) in results.items():
            if name != won[0] and kind == "error":
                assert isinstance(value, WorkflowError), (name, repr(value))
        assert len(transitions(rid)) == 1, transitions(rid)
        assert InterviewRequest.objects.get(pk=rid).version == 2
        winners[won[0]] += 1
    assert_no_duplicate_notifications()
    assert sum(winners.values()) == ROUNDS


# --- Double submits through the web --------------------------------------------------------


def signed_in_clients(user, count: int = THREADS) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def post_together(clients: list[Client], url: str, data: dict) -> list[int]:
    results = run_together(*[lambda c=c: c.post(url, data) for c in clients])
    assert all(kind == "ok" for kind, _ in results), results
    codes = [response.status_code for _, response in results]
    assert set(codes) <= OK_STATUSES, codes  # never a 500
    return codes


def test_double_submits_of_every_form_apply_once(marketer, sales, manager):
    # Filing: eight clicks on "File" for one account make one request.
    account = AccountFactory(owner=sales, name="Double Submit KK")
    candidate = CandidateFactory(account=account)
    codes = post_together(
        signed_in_clients(marketer),
        reverse("request_new"),
        {
            "_action": "file",
            "account": account.pk,
            "previewed_account": account.pk,
            "candidates": [candidate.pk],
            "purpose": "case_study",
            "topic": "Faster close",
            "questions": "What changed?",
            "response_window_days": "5",
        },
    )
    assert codes.count(302) == 1 and InterviewRequest.objects.filter(account=account).count() == 1
    request = InterviewRequest.objects.get(account=account)

    # The owner's answer on the site.
    post_together(
        signed_in_clients(sales),
        reverse("answer", args=[request.pk, "owner_will_reach_out"]),
        {"version": request.version},
    )
    assert transitions(request.pk) == [EventKind.OWNER_WILL_REACH_OUT]

    # The customer's answer on the request page.
    request.refresh_from_db()
    post_together(
        signed_in_clients(marketer),
        reverse("request_schedule", args=[request.pk]),
        {
            "schedule-expected_version": request.version,
            # Held yesterday: its outcome may be recorded now.
            "schedule-interview_at": (timezone.localdate() - dt.timedelta(days=1)).isoformat()
            + "T14:00",
            "schedule-location": "Online",
            "schedule-participants": "Tanaka",
        },
    )
    assert transitions(request.pk)[1:] == [EventKind.SCHEDULED]

    # Completing it.
    request.refresh_from_db()
    post_together(
        signed_in_clients(marketer),
        reverse("request_complete", args=[request.pk]),
        {"complete-expected_version": request.version, "complete-outcome_summary": "Great"},
    )
    assert transitions(request.pk)[2:] == [EventKind.COMPLETED]

    # A manager's override, and an answer from the email link, on a second request.
    other = file_one(marketer, sales)
    post_together(
        signed_in_clients(manager),
        reverse("manage", args=[other.pk, "extend_deadline"]),
        {"version": 1, "extra_business_days": 2, "reason": "Holidays"},
    )
    assert transitions(other.pk) == [EventKind.DEADLINE_EXTENDED]
    other.refresh_from_db()
    link = reverse("action_link", args=[links.make_token(other, sales), "decline"])
    post_together(
        [Client(raise_request_exception=False) for _ in range(THREADS)],
        link,
        {"reason_category": "open_issue", "reason": "Escalation"},
    )
    assert transitions(other.pk) == [EventKind.DEADLINE_EXTENDED, EventKind.DECLINED]

    # And cancelling, by the marketer, on a third.
    third = file_one(marketer, sales)
    post_together(
        signed_in_clients(marketer),
        reverse("request_cancel", args=[third.pk]),
        {"cancel-expected_version": 1, "cancel-reason": "Dropped"},
    )
    assert transitions(third.pk) == [EventKind.CANCELLED]
    assert_no_duplicate_notifications()


# --- Four sweeps at once, with every kind of due work -------------------------------------


@pytest.fixture
def from_monday():
    """The clock runs from Monday 10:00 Tokyo: three days after a deferral to tomorrow, the
    wake-up is due. (Run on a Friday, "tomorrow" was a Saturday that woke on Monday, after
    the test's sweep.) It ticks, unlike `clock`: the sweeps run in threads at once."""
    with time_machine.travel(MONDAY_10AM):
        yield


def test_four_sweeps_at_once_wake_switch_and_remind_each_request_once(
    from_monday, marketer, sales, cs, settings
):
    settings.JOB_BATCH_SIZE = 3  # many small batches, so the sweeps interleave
    overdue = [file_one(marketer, sales, days_ago=20).pk for _ in range(9)]
    remind = [file_one(marketer, cs, days_ago=4).pk for _ in range(9)]
    waking = []
    for _ in range(9):
        request = file_one(marketer, sales)
        workflow.request_defer(
            request_id=request.pk,
            by=sales,
            until=workflow.deferral_range()[0],
            reason_category="bad_timing",
            reason="Later",
        )
        waking.append(request.pk)
    Notification.objects.update(status=NotificationStatus.SENT)
    mail.outbox.clear()
    # Late enough for the wake-ups; the reminders of the 4-day-old requests are due too.
    now = timezone.now() + dt.timedelta(days=3)
    due_reminders = InterviewRequest.objects.filter(
        pk__in=remind, next_reminder_at__lte=now
    ).count()
    assert due_reminders == len(remind)

    runs = run_together(*[lambda: jobs.process_deadlines(now=now)] * 4)
    assert all(kind == "ok" for kind, _ in runs), runs
    assert sum(run.switched for _, run in runs) == len(overdue)
    assert sum(run.woken for _, run in runs) == len(waking)
    for rid in overdue:
        assert transitions(rid) == [EventKind.DEADLINE_PASSED]
    for rid in waking:
        assert transitions(rid) == [EventKind.DEFERRED, EventKind.WOKE]
    reminders = RequestEvent.objects.filter(kind=EventKind.REMINDER_SENT, request_id__in=remind)
    assert Counter(reminders.values_list("request_id", flat=True)) == dict.fromkeys(remind, 1)
    assert_no_duplicate_notifications()
    # Every email the sweeps queued was sent once, by exactly one of them.
    queued = Notification.objects.filter(created_at=now)
    assert set(queued.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(mail.outbox) == queued.count()


# --- Lock order: a CRM owner change racing a decline that pauses the account ------------


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_a_crm_owner_change_racing_a_decline_that_pauses_the_account_never_deadlocks(
    marketer, sales, cs, manager, monkeypatch
):
    """The import updates the account, then moves its open request; the decline locks
    the request, then pauses the account. Both must take the locks in one order
    (account first), or PostgreSQL has to kill one of them as a deadlock victim."""
    request = file_one(marketer, sales, name="Lock Order KK")
    account = Account.objects.get(pk=request.account_id)
    csv = (
        '"Account ID","Account Name","Website","Account Owner: Email","Account Owner: Role",'
        '"Industry"\n'
        f'"{account.crm_id}","{account.name}","{account.domain}","{cs.email}",'
        '"Customer Success","Software"\n'
    ).encode()

    # Hold the import at the point where it has written the account row and is about to
    # move the request, until the owner's decline is waiting on a lock.
    real = workflow.account_owner_changed
    account_written = threading.Event()

    def account_owner_changed(**kwargs):
        account_written.set()
        wait_until(_waiting_on_a_lock, timeout=10, what="the decline to wait on a lock")
        return real(**kwargs)

    monkeypatch.setattr(workflow, "account_owner_changed", account_owner_changed)
    owner = Client(raise_request_exception=False)
    owner.force_login(sales)
    pause_until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()

    def decline():
        assert account_written.wait(10)
        return owner.post(
            reverse("answer", args=[request.pk, "decline"]),
            {
                "version": 1,
                "reason_category": "open_issue",
                "reason": "Escalation",
                "pause_account_until": pause_until,
            },
        )

    def crm_import():
        return run_import(csv, kind="accounts", layout="salesforce", by=manager, dry_run=False)

    importing, declining = run_together(crm_import, decline)
    assert importing[0] == "ok", importing
    assert declining[0] == "ok" and declining[1].status_code in OK_STATUSES, declining
    request.refresh_from_db()
    account.refresh_from_db()
    # The import went first (it held the account); the decline then found the request
    # passed to someone else and said so, changing nothing.
    assert account.owner == cs and account.sensitive_until is None
    assert request.owner == cs and request.status == Status.AWAITING_OWNER
    assert transitions(request.pk) == [EventKind.OWNER_REASSIGNED]
    assert declining[1].status_code == 302
    assert declining[1]["Location"] == reverse("request_detail", args=[request.pk])
