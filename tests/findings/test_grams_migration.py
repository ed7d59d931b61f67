"""Upgrading keeps the library's answers: findings stored before one-character words were
indexed are found by one-character words after `migrate`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews import library
from interviews.models import Finding, FindingKind
from interviews.workflow import FindingInput

BEFORE = [("interviews", "0012_sweep_indexes_break_ties_by_id")]
AFTER = [("interviews", "0013_findings_search_grams")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_findings_stored_before_the_upgrade_are_found_by_one_character(add_findings, completed):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="価格が決め手"))
    old_apps = migrate(BEFORE)
    try:
        # As the previous release stored it: the two-character pieces only.
        old_apps.get_model("interviews", "Finding").objects.filter(pk=finding.pk).update(
            search_text="価格が決め手", search_bigrams="が決 め手 価格 格が 決め"
        )
    finally:
        migrate(AFTER)

    assert Finding.objects.get(pk=finding.pk).search_grams == (
        "が が決 め め手 価 価格 手 格 格が 決 決め"
    )
    found = library.findings(library.FindingFilters(q="決"))
    assert [f.pk for f in found] == [finding.pk]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = 'finding_search_gram_idx' "
                "AND indexdef LIKE '%%search_grams%%'"
            )
            assert cursor.fetchone(), "the GIN index follows the renamed column"
