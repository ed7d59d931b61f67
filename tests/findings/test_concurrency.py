"""The same batch sent twice at the same instant (a double click, a retried API call) adds
its findings and its email once; two different batches both land, each with its email."""

from __future__ import annotations

import pytest

from interviews import workflow
from interviews.models import EventKind, Finding, FindingKind, Notification, NotificationKind
from interviews.workflow import FindingInput
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ITEMS = [FindingInput(kind=FindingKind.WHY_US, statement="The audit trail.")]


def test_one_batch_sent_twice_at_once_lands_once(completed, marketer):
    def add():
        return workflow.findings_add(
            request_id=completed.pk, by=marketer, items=ITEMS, batch_key="same-form"
        )

    results = run_together(add, add, add)
    assert [kind for kind, _ in results] == ["ok", "ok", "ok"]
    assert {tuple(f.pk for f in found) for _, found in results} == {
        tuple(Finding.objects.values_list("pk", flat=True))
    }
    assert Finding.objects.count() == 1
    assert completed.events.filter(kind=EventKind.FINDINGS_ADDED).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.FINDINGS_SHARED).count() == 1


def test_two_batches_at_once_both_land(completed, marketer, other_marketer):
    results = run_together(
        lambda: workflow.findings_add(request_id=completed.pk, by=marketer, items=ITEMS),
        lambda: workflow.findings_add(request_id=completed.pk, by=other_marketer, items=ITEMS),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert Finding.objects.count() == 2
    assert Notification.objects.filter(kind=NotificationKind.FINDINGS_SHARED).count() == 2
