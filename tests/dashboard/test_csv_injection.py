"""Text anyone can type never reaches a manager's spreadsheet as a live formula: every
cell of every CSV export that starts like a formula is turned into text, numbers stay
numbers, and no CSV is written around the one writer."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from interviews.crm_import.service import run_import
from interviews.csv_export import FORMULA_STARTS, SafeWriter, neutralise
from interviews.models import InterviewRequest

REPO = Path(__file__).resolve().parents[2]

PAYLOADS = [
    '=HYPERLINK("http://x.example/","y")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "=1+1",
    "-",
    "@",
]


def written(*rows) -> str:
    out = io.StringIO()
    SafeWriter(out).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("rest", ["1+1", 'HYPERLINK("http://x.example/","y")', "cmd|' /C calc'!A0"])
def test_every_formula_start_becomes_text(start, rest):
    value = start + rest
    (cell,) = next(csv.reader(io.StringIO(written([value]))))
    assert cell == "'" + value


@pytest.mark.parametrize("value", [0, 4, -3, 1.5, -0.25, "4", "-3", "+7", "-1.5", "12%", "3,5"])
def test_numbers_stay_numbers(value):
    assert neutralise(value) == value
    (cell,) = next(csv.reader(io.StringIO(written([value]))))
    assert cell == str(value)


@pytest.mark.parametrize("value", ["Acme KK", "株式会社さくら", "a=b", "x-1", "", "'quoted"])
def test_ordinary_text_is_untouched(value):
    assert neutralise(value) == value


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_stalled_export_neutralises_topics_accounts_and_names(client, dataset, payload):
    r3 = dataset.requests["r3"]
    InterviewRequest.objects.filter(pk=r3.pk).update(topic=payload)
    r3.account.name = payload
    r3.account.save()
    client.force_login(dataset.manager)
    rows = _rows(client.get("/dashboard/export/stalled.csv"))
    row = next(r for r in rows[1:] if r[0] == str(r3.pk))
    assert row[1] == row[2] == "'" + payload
    assert row[8] == "4"  # business days: still a number


def test_owner_named_like_a_formula_in_the_crm_is_text_in_the_owner_export(client, dataset):
    crm = (
        '"Full Name","Email","Department","Manager: Email"\n'
        f'"=cmd|\' /C calc\'!A0","{dataset.sato.email}","Sales","{dataset.manager.email}"\n'
    )
    plan = run_import(
        crm.encode(), kind="owners", layout="salesforce", by=dataset.manager, dry_run=False
    )
    assert plan.counts["update"] == 1
    client.force_login(dataset.manager)
    rows = _rows(client.get("/dashboard/export/owners.csv"))
    header = rows[0]
    sato = dict(zip(header, next(r for r in rows if "calc" in r[0]), strict=True))
    assert sato["Owner"] == "'=cmd|' /C calc'!A0"
    assert sato["Pending"] == "2" and sato["Answered within the window"] == "100%"


def test_no_csv_is_written_around_the_safe_writer():
    """A new export must use interviews.csv_export, or this finds it."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("accounts", "config", "interviews")
        for path in (REPO / folder).rglob("*.py")
        if writers.search(path.read_text()) and path.name != "csv_export.py"
    ]
    assert offenders == []
