"""CRM import at scale: a generated 50k-row Salesforce accounts export, previewed (dry
run), imported, then imported again (the idempotent second run)."""

from __future__ import annotations

import csv
import dataclasses
import io
import time

from accounts.models import Account, User
from interviews.crm_import.service import run_import


@dataclasses.dataclass
class ImportResult:
    rows: int
    dry_run_seconds: float
    apply_seconds: float
    second_run_seconds: float
    counts: dict[str, int]


def _export(rows: int, owners: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Account ID", "Account Name", "Website", "Account Owner: Email", "Account Owner: Role"]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"IMPORT-{i:07d}",
                f"株式会社インポート{i}",
                f"https://www.import{i}.example.jp/",
                owners[i % len(owners)],
                "Sales",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def run(rows: int) -> ImportResult:
    manager = User.objects.filter(is_manager=True).order_by("pk").first()
    owners = list(User.objects.filter(department="sales").values_list("email", flat=True)[:200])
    data = _export(rows, owners)
    Account.objects.filter(crm_id__startswith="IMPORT-").delete()

    started = time.perf_counter()
    preview = run_import(data, kind="accounts", layout="salesforce", by=manager, dry_run=True)
    dry = time.perf_counter() - started
    started = time.perf_counter()
    plan = run_import(data, kind="accounts", layout="salesforce", by=manager, dry_run=False)
    applied = time.perf_counter() - started
    started = time.perf_counter()
    again = run_import(data, kind="accounts", layout="salesforce", by=manager, dry_run=False)
    second = time.perf_counter() - started
    assert preview.counts["create"] == rows and plan.counts["create"] == rows
    assert again.counts["unchanged"] == rows, again.counts
    Account.objects.filter(crm_id__startswith="IMPORT-").delete()
    return ImportResult(rows, dry, applied, second, plan.counts)
