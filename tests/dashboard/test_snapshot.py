"""A dashboard's dozen queries see one moment: a request filed while the page is being
built shows in none of its figures, so the headline and the tables add up."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection

from accounts.models import User
from interviews import dashboard, workflow
from interviews.models import Purpose
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("snapshot isolation is what PostgreSQL gives the dashboard")


def _file_elsewhere(marketer_id: int, owner_id: int) -> None:
    """File a request from another connection, committed at once (another person)."""

    def run():
        try:
            account = AccountFactory(owner=User.objects.get(pk=owner_id), name="Late Corp")
            workflow.request_file(
                by=User.objects.get(pk=marketer_id),
                account=account,
                candidates=[CandidateFactory(account=account)],
                purpose=Purpose.RESEARCH,
                topic="Filed while the dashboard was being built",
                questions="Why?",
            )
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_request_filed_mid_build_is_in_no_figure(
    clock, file_request, marketer, sales, monkeypatch
):
    file_request()
    real_trend = dashboard.trend

    def trend_then_someone_files(scope):
        weekly = real_trend(scope)
        _file_elsewhere(marketer.pk, sales.pk)
        return weekly

    monkeypatch.setattr(dashboard, "trend", trend_then_someone_files)
    board = dashboard.build(dashboard.Scope.default())

    filed_per_week = sum(week.filed for week in board.trend)
    assert filed_per_week == 1
    assert board.total.filed == 1 and board.total.open == 1  # the tables came after
    # The next page sees it.
    monkeypatch.setattr(dashboard, "trend", real_trend)
    assert dashboard.build(dashboard.Scope.default()).total.filed == 2


def test_building_a_dashboard_cannot_write(clock, file_request):
    request = file_request()
    with pytest.raises(DatabaseError, match="read-only"), dashboard.one_snapshot():
        type(request).objects.filter(pk=request.pk).update(topic="changed")


def test_the_connection_is_as_before_afterwards(clock, file_request):
    file_request()
    dashboard.build(dashboard.Scope.default())
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        isolation = cursor.fetchone()[0]
        cursor.execute("SHOW max_parallel_workers_per_gather")
        workers = cursor.fetchone()[0]
    assert isolation == "read committed"
    assert workers != "0"
