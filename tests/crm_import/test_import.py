"""Importing CRM exports: both layouts, Shift_JIS and BOM files, every rejection reason,
the idempotent second run, and an owner change that moves open requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import Account, Department, User
from interviews import jobs
from interviews.crm_import.layouts import mapping_for
from interviews.crm_import.reading import UnreadableFile
from interviews.crm_import.service import run_import
from interviews.errors import NotAllowed
from interviews.models import Candidate, EventKind, NotificationKind, Status

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "crm"


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def by_line(plan) -> dict[int, object]:
    return {o.line: o for o in plan.outcomes}


@pytest.fixture
def importer(manager):
    def _run(name: str, kind: str, layout: str = "salesforce", dry_run: bool = False, **kwargs):
        return run_import(
            data(name), kind=kind, layout=layout, by=manager, dry_run=dry_run, **kwargs
        )

    return _run


@pytest.fixture
def people(importer):
    return importer("salesforce_users.csv", "owners")


def test_owners_from_salesforce_with_a_bom(people):
    assert people.encoding == "utf-8-sig"
    assert people.counts == {"create": 5, "update": 0, "unchanged": 0, "reject": 3}
    sato = User.objects.get(email="kenta.sato@example.com")
    assert sato.name == "佐藤 健太" and sato.department == Department.SALES
    assert sato.reports_to.email == "naomi.clarke@example.com"
    assert not sato.has_usable_password()
    rejected = by_line(people)
    assert "not an email address" in rejected[7].reasons[0]
    assert "unknown manager nobody@example.com" in rejected[8].reasons[0]
    assert "unknown department Zoo keeping" in rejected[9].reasons[0]


def test_a_dry_run_writes_nothing_but_says_everything(importer):
    plan = importer("salesforce_users.csv", "owners", dry_run=True)
    assert plan.counts["create"] == 5 and plan.counts["reject"] == 3
    assert not User.objects.filter(email="kenta.sato@example.com").exists()


def test_accounts_with_every_rejection_reason(people, importer):
    plan = importer("salesforce_accounts.csv", "accounts")
    outcomes = by_line(plan)
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0, "reject": 4}
    assert Account.objects.get(crm_id="0015g00000AbC01").domain == "sakura-seiki.co.jp"
    assert Account.objects.get(crm_id="0015g00000AbC03").domain == "aoba-medical.example.jp"
    assert "unknown owner someone.unknown@example.com" in outcomes[5].reasons[0]
    assert "duplicate CRM id 0015g00000AbC02, first on line 3" in outcomes[6].reasons[0]
    assert "missing CRM id" in outcomes[7].reasons[0]
    assert (
        "misaki.ito@example.com is not an active sales or customer-success user"
        in outcomes[8].reasons[0]
    )


def test_importing_the_same_file_twice_changes_nothing(people, importer):
    importer("salesforce_accounts.csv", "accounts")
    importer("salesforce_contacts.csv", "contacts")
    again = [
        importer("salesforce_users.csv", "owners"),
        importer("salesforce_accounts.csv", "accounts"),
        importer("salesforce_contacts.csv", "contacts"),
    ]
    for plan in again:
        assert plan.counts["create"] == 0 and plan.counts["update"] == 0, plan.counts
    assert Account.objects.count() == 3 and Candidate.objects.count() == 3


def test_contacts_attach_to_accounts_and_bad_rows_are_refused(people, importer):
    importer("salesforce_accounts.csv", "accounts")
    plan = importer("salesforce_contacts.csv", "contacts")
    outcomes = by_line(plan)
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0, "reject": 2}
    hanako = Candidate.objects.get(crm_id="0035g00000XyZ01")
    assert hanako.account.name == "株式会社サクラ精機" and hanako.title == "情報システム部 部長"
    assert "unknown account 0015g99999Nope" in outcomes[5].reasons[0]
    assert "emma at northwind is not an email address" in outcomes[6].reasons[0]


def test_hubspot_exports_saved_by_japanese_excel(people, importer):
    companies = importer("hubspot_companies_sjis.csv", "accounts", layout="hubspot")
    assert companies.encoding == "cp932"
    assert companies.counts["create"] == 3
    assert Account.objects.filter(name="髙橋建設株式会社").exists()
    contacts = importer("hubspot_contacts_sjis.csv", "contacts", layout="hubspot")
    assert contacts.counts["create"] == 2
    assert Candidate.objects.get(crm_id="7001").name == "山田 太郎"
    owners = importer("hubspot_owners.csv", "owners", layout="hubspot")
    assert owners.counts["create"] == 1
    assert (
        User.objects.get(email="aoi.kobayashi@example.com").department
        == Department.CUSTOMER_SUCCESS
    )


def test_a_custom_mapping(people, manager):
    csv = b"Code,Company,Rep\nX-1,Custom Co,kenta.sato@example.com\n"
    plan = run_import(
        csv,
        kind="accounts",
        layout="custom",
        custom_mapping='{"crm_id": "Code", "name": "Company", "owner_email": "Rep"}',
        by=manager,
        dry_run=False,
    )
    assert plan.counts["create"] == 1
    assert Account.objects.get(crm_id="X-1").owner.email == "kenta.sato@example.com"


def test_what_is_missing_is_listed_the_japanese_way_in_japanese(people, manager):
    with translation.override("ja"), pytest.raises(UnreadableFile) as refused:
        run_import(b"Name\nA\n", kind="accounts", layout="salesforce", by=manager)
    assert str(refused.value) == (
        "必要な列がありません: Account ID、Account Name、Account Owner: Email"
    )
    with translation.override("ja"), pytest.raises(ValueError) as refused:
        mapping_for("custom", "accounts", '{"name": "Company", "colour": "C", "age": "A"}')
    assert str(refused.value) == "accounts にない項目があります: age、colour。"
    with translation.override("ja"), pytest.raises(ValueError) as refused:
        mapping_for("custom", "accounts", '{"name": "Company"}')
    assert str(refused.value) == (
        "accounts の対応表に次の項目がありません: CRM ID、担当者のメールアドレス。"
    )


def test_a_file_without_the_expected_columns_is_refused_whole(people, manager):
    with pytest.raises(UnreadableFile, match="Missing columns: Account ID"):
        run_import(
            b"Name,Owner\nA,b@example.com\n", kind="accounts", layout="salesforce", by=manager
        )


def test_only_managers_and_admins_import(marketer, sales):
    for person in (marketer, sales):
        with pytest.raises(NotAllowed):
            run_import(data("salesforce_users.csv"), kind="owners", layout="salesforce", by=person)


def test_an_owner_change_moves_open_requests_with_a_fresh_window(clock, people, importer, marketer):
    importer("salesforce_accounts.csv", "accounts")
    importer("salesforce_contacts.csv", "contacts")
    from interviews import workflow

    sakura = Account.objects.get(crm_id="0015g00000AbC01")
    request = workflow.request_file(
        by=marketer,
        account=sakura,
        candidates=list(sakura.candidates.all()),
        purpose="case_study",
        topic="Cloud move",
        questions="Why?",
    )
    jobs.process_deadlines()
    mail.outbox.clear()

    moved = (
        (FILES / "salesforce_accounts.csv")
        .read_bytes()
        .replace(
            b'"kenta.sato@example.com","Sales","Manufacturing"',
            b'"olivia.brown@example.com","Customer Success","Manufacturing"',
        )
    )
    plan = run_import(
        moved,
        kind="accounts",
        layout="salesforce",
        by=User.objects.get(email="manager@example.com"),
        dry_run=True,
    )
    (change,) = plan.owner_changes
    assert change.changes["owner"][0].email == "kenta.sato@example.com"
    run_import(
        moved,
        kind="accounts",
        layout="salesforce",
        by=User.objects.get(email="manager@example.com"),
        dry_run=False,
    )

    request.refresh_from_db()
    olivia = User.objects.get(email="olivia.brown@example.com")
    assert request.owner == olivia and request.status == Status.AWAITING_OWNER
    assert request.events.filter(kind=EventKind.OWNER_REASSIGNED).count() == 1
    jobs.process_deadlines()
    kinds = {(m.to[0], m.extra_headers["X-Interview-Relay-Kind"]) for m in mail.outbox}
    assert ("olivia.brown@example.com", NotificationKind.NEW_REQUEST) in kinds
    assert ("kenta.sato@example.com", NotificationKind.REASSIGNED_FROM) in kinds


def test_reports_of_a_refused_new_manager_are_refused_with_the_line_to_fix(manager):
    """The preview once offered to create Dana, reporting to a boss whose own line was
    refused; confirming then failed with a 500 and imported nothing."""
    csv = (
        b"Email,Full Name,Department,Manager: Email\n"
        b"boss@example.org,Boss,Zoo keeping,\n"  # line 2: refused, unknown department
        b"dana@example.org,Dana,sales,boss@example.org\n"  # reports to the refused boss
        b"eli@example.org,Eli,sales,dana@example.org\n"  # reports to Dana: refused in turn
        b"fay@example.org,Fay,sales,manager@example.com\n"  # an existing manager: imported
    )
    preview = run_import(csv, kind="owners", layout="salesforce", by=manager, dry_run=True)
    lines = by_line(preview)
    assert preview.counts == {"create": 1, "update": 0, "unchanged": 0, "reject": 3}
    assert lines[3].reasons == ["manager boss@example.org is not imported: see line 2"]
    assert lines[4].reasons == ["manager dana@example.org is not imported: see line 3"]
    with translation.override("ja"):
        japanese = run_import(csv, kind="owners", layout="salesforce", by=manager, dry_run=False)
    assert by_line(japanese)[3].reasons == [
        "マネージャー boss@example.org は取り込まれません（2行目を参照）"
    ]
    fay = User.objects.get(email="fay@example.org")
    assert fay.reports_to == manager
    assert not User.objects.filter(email__in=["boss@example.org", "dana@example.org"]).exists()
