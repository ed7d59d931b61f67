"""The benchmark compares the page with hand-written SQL (bench/dashboard_sql.py): the
comparison means something only if both compute the same figures."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from bench import dashboard_sql
from interviews import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written SQL is PostgreSQL's")


def test_the_hand_written_sql_computes_the_pages_figures(dataset):
    scope = dashboard.Scope.default(timezone.now())
    board = dashboard.build(scope)
    result = dashboard_sql.run(dashboard_sql.parameters(scope))
    total = result.total()
    page = board.total
    for name in dashboard_sql.COUNT_NAMES:
        assert total[name] == getattr(page, name), name
    assert total["answered"] == page.answered
    assert total["answered_within_window"] == page.answered_within_window
    assert total["median_response_days"] == page.median_response_days
    assert total["completed_quarter"] == page.completed_quarter
    assert total["stalled_count"] == board.stalled_count
    assert [row[0] for row in result.stalled] == [row.request.pk for row in board.stalled]
