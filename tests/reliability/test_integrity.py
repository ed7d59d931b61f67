"""The database refuses impossible states, whatever Python does.

Each case writes one impossible state straight to the database (QuerySet.update() or raw
SQL, so no model method or form can stop it) and expects the database to refuse. A bug in
a view, a job, an import or an admin action therefore cannot store it either.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Account, User
from interviews import workflow
from interviews.models import InterviewRequest, Notification, RequestEvent, Status
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _file(file_request, sales):
    account = AccountFactory(owner=sales)
    return file_request(
        account=account,
        candidates=[],
        new_candidates=[workflow.NewCandidate(name="Someone")],
    )


@pytest.fixture
def requests(file_request, marketer, sales):
    cancelled = file_request()
    workflow.request_cancel(request_id=cancelled.pk, by=marketer, reason="Wrong topic")
    open_one = file_request()
    deferred = _file(file_request, sales)
    workflow.request_defer(
        request_id=deferred.pk,
        by=sales,
        until=workflow.deferral_range()[0],
        reason_category="bad_timing",
        reason="Later",
    )
    outreach = _file(file_request, sales)
    workflow.request_owner_will_reach_out(request_id=outreach.pk, by=sales)
    return {"cancelled": cancelled, "open": open_one, "deferred": deferred, "outreach": outreach}


def second_open_request(r, people):
    InterviewRequest.objects.filter(pk=r["cancelled"].pk).update(
        status=Status.AWAITING_OWNER, response_due_at=r["open"].response_due_at
    )


def waiting_without_deadline(r, people):
    InterviewRequest.objects.filter(pk=r["open"].pk).update(response_due_at=None)


def owner_outreach_without_deadline(r, people):
    InterviewRequest.objects.filter(pk=r["outreach"].pk).update(response_due_at=None)


def waiting_again_without_deadline(r, people):
    # A deferred request put back in the owner's hands by hand, its window forgotten.
    InterviewRequest.objects.filter(pk=r["deferred"].pk).update(status=Status.AWAITING_OWNER)


def deferred_without_wake_time(r, people):
    InterviewRequest.objects.filter(pk=r["deferred"].pk).update(wake_at=None)


def same_email_twice(r, people):
    first, second = Notification.objects.order_by("pk")[:2]
    Notification.objects.filter(pk=second.pk).update(unique_key=first.unique_key)


def transition_recorded_twice(r, people):
    # Filing (version 1) and the deferral (version 2) of one request: make both version 1.
    deferral = RequestEvent.objects.get(request=r["deferred"], version=2)
    RequestEvent.objects.filter(pk=deferral.pk).update(version=1)


def one_address_two_users(r, people):
    # Raw SQL: User.save() would lower-case it; the database must not rely on that.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET email = %s WHERE id = %s",
            [people["sales"].email.upper(), people["marketer"].pk],
        )


def one_crm_id_two_accounts(r, people):
    Account.objects.filter(pk=r["deferred"].account_id).update(crm_id=r["open"].account.crm_id)


def negative_version(r, people):
    InterviewRequest.objects.filter(pk=r["open"].pk).update(version=-1)


def unknown_request_status(r, people):
    # A status no sweep, page or filter knows: the request would silently fall out of sight.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE interviews_interviewrequest SET status = %s WHERE id = %s",
            ["limbo", r["open"].pk],
        )


def unknown_notification_status(r, people):
    # An email in a status the outbox never picks up would be lost without a trace.
    Notification.objects.filter(pk=Notification.objects.order_by("pk")[0].pk).update(status="lost")


def owner_who_does_not_exist(r, people):
    missing = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    InterviewRequest.objects.filter(pk=r["open"].pk).update(owner_id=missing)
    # Foreign keys are checked at commit (deferred): check now, inside the test.
    connection.check_constraints(table_names=[InterviewRequest._meta.db_table])


# (what, the impossible write, what the refusal names: PostgreSQL | SQLite wording)
IMPOSSIBLE: list[tuple[str, Callable, str]] = [
    (
        "two open requests for one account",
        second_open_request,
        r"one_open_request_per_account|interviewrequest\.account_id",
    ),
    ("waiting on the owner with no deadline", waiting_without_deadline, "waiting_request_has"),
    (
        "owner asking the customer with no deadline",
        owner_outreach_without_deadline,
        "waiting_request_has_deadline",
    ),
    (
        "back with the owner with no deadline",
        waiting_again_without_deadline,
        "waiting_request_has_deadline",
    ),
    ("deferred with no wake-up time", deferred_without_wake_time, "deferred_request_has_wake"),
    ("one email queued twice", same_email_twice, "unique_key"),
    (
        "one transition recorded twice",
        transition_recorded_twice,
        r"event_once_per_request_version|requestevent\.request_id, \S+\.version",
    ),
    ("one address for two users in other case", one_address_two_users, "user_email_unique"),
    ("one CRM id for two accounts", one_crm_id_two_accounts, "crm_id"),
    ("a negative version", negative_version, "version"),
    ("a status that does not exist", unknown_request_status, "request_status_valid"),
    ("an email status that does not exist", unknown_notification_status, "notification_status"),
    ("an owner who does not exist", owner_who_does_not_exist, "owner_id"),
]


@pytest.mark.parametrize(
    ("write", "refusal"),
    [pytest.param(write, refusal, id=name) for name, write, refusal in IMPOSSIBLE],
)
def test_the_database_refuses_an_impossible_state(requests, write, refusal, marketer, sales):
    with pytest.raises(IntegrityError, match=refusal), transaction.atomic():
        write(requests, {"marketer": marketer, "sales": sales})
