"""Files as CRMs and old spreadsheets really write them: a field longer than the csv
module's limit, CR-only line endings, NUL bytes, over-long keys, hostile mappings. Each is
a row-level rejection or a clear file-level message in the preview, the same on SQLite
and PostgreSQL, and the confirmation never fails on what the preview accepted. Rejected
rows and refused files write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Account, Department, User
from config.celery import app as celery_app
from interviews import tasks
from interviews.crm_import import uploads
from interviews.crm_import.reading import UnreadableFile
from interviews.crm_import.service import run_import
from interviews.json_depth import MAX_DEPTH
from interviews.models import Candidate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = '"Account ID","Account Name","Website","Account Owner: Email","Description"'
CSV_LIMIT = 131_072  # the csv module's default field size limit


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", name="Oda Owner", department=Department.SALES)


def rows_written() -> int:
    return Account.objects.count() + User.objects.count() + Candidate.objects.count()


def accounts_file(*lines: str, newline: str = "\n") -> bytes:
    return newline.join([HEADER, *lines]).encode()


def account(crm_id="A-1", name="Acme KK", site="acme.example", owner="owner@example.com", desc=""):
    return f'"{crm_id}","{name}","{site}","{owner}","{desc}"'


def preview_then_apply(data: bytes, by, kind="accounts"):
    """The preview, then the write: they must agree on every row."""
    preview = run_import(data, kind=kind, layout="salesforce", by=by, dry_run=True)
    applied = run_import(data, kind=kind, layout="salesforce", by=by, dry_run=False)
    assert [(o.line, o.action) for o in preview.outcomes] == [
        (o.line, o.action) for o in applied.outcomes
    ]
    return applied


# --- A field past the csv module's limit ------------------------------------------------------


@pytest.mark.parametrize("size", [CSV_LIMIT + 1, 500_000, 2_000_000])
def test_a_huge_value_in_a_column_we_do_not_import_is_no_obstacle(manager, owner, size):
    data = accounts_file(account(desc="x" * size), account(crm_id="A-2", name="Beta KK"))
    plan = preview_then_apply(data, manager)
    assert plan.counts["create"] == 2
    assert set(Account.objects.values_list("crm_id", flat=True)) == {"A-1", "A-2"}


@pytest.mark.parametrize("size", [CSV_LIMIT + 1, 1_000_000])
def test_a_huge_crm_id_rejects_its_row_only(manager, owner, size):
    data = accounts_file(account(crm_id="9" * size), account(crm_id="A-2"))
    before = rows_written()
    plan = preview_then_apply(data, manager)
    rejected = plan.outcomes[0]
    assert rejected.action == "reject"
    assert "the CRM id is longer than 64 characters" in rejected.reasons
    assert rows_written() == before + 1  # only A-2


def test_a_huge_name_is_cut_to_the_column_as_before(manager, owner):
    plan = preview_then_apply(accounts_file(account(name="N" * (CSV_LIMIT + 5))), manager)
    assert plan.counts["create"] == 1
    assert len(Account.objects.get().name) == 200


# --- Line endings -------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_every_line_ending_imports_the_same(manager, owner, newline):
    data = accounts_file(
        account(),
        account(crm_id="A-2", name="Beta KK", desc="two\rlines"),
        account(crm_id="A-3", name="Gamma; Ltd", desc="a, b"),
        newline=newline,
    )
    plan = preview_then_apply(data, manager)
    assert plan.counts == {"create": 3, "update": 0, "unchanged": 0, "reject": 0}
    assert [o.line for o in plan.outcomes] == [2, 3, 4]
    assert Account.objects.get(crm_id="A-3").name == "Gamma; Ltd"


def test_a_cr_only_shift_jis_file_from_old_mac_excel(manager, owner):
    data = accounts_file(account(name="株式会社さくら"), account(crm_id="A-2"), newline="\r")
    plan = preview_then_apply(data.decode().encode("cp932"), manager)
    assert plan.encoding == "cp932" and plan.counts["create"] == 2
    assert Account.objects.get(crm_id="A-1").name == "株式会社さくら"


# --- NUL bytes and over-long keys ---------------------------------------------------------------


NUL_ROWS = {
    "name": account(name="Acme\x00KK"),
    "crm_id": account(crm_id="A-\x001"),
    "owner email": account(owner="owner@example.com\x00"),
    "domain": account(site="acme\x00.example"),
}


@pytest.mark.parametrize("where", sorted(NUL_ROWS))
def test_a_nul_byte_rejects_the_row_in_the_preview_and_at_the_write(manager, owner, where):
    data = accounts_file(NUL_ROWS[where], account(crm_id="A-2", name="Beta KK"))
    before = rows_written()
    plan = preview_then_apply(data, manager)
    assert plan.outcomes[0].action == "reject"
    assert any("NUL character" in reason for reason in plan.outcomes[0].reasons)
    assert plan.outcomes[1].action == "create"
    assert rows_written() == before + 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (account(crm_id="C" * 65), "the CRM id is longer than 64 characters"),
        (account(owner="o" * 250 + "@example.com"), "the owner email is longer than 254"),
        (account(site="a" * 250 + ".example"), "the domain is longer than 253 characters"),
        (account(site="http://[::1"), "the domain http://[::1 is not a web address"),
    ],
)
def test_values_the_database_cannot_hold_are_rejected(manager, owner, line, reason):
    before = rows_written()
    plan = preview_then_apply(accounts_file(line), manager)
    (outcome,) = plan.outcomes
    assert outcome.action == "reject"
    assert any(r.startswith(reason) for r in outcome.reasons), outcome.reasons
    assert rows_written() == before


def test_owners_and_contacts_refuse_nul_and_long_values_too(manager, owner):
    owners = (
        '"Full Name","Email","Department","Manager: Email"\n'
        '"Ana\x00","ana@example.com","Sales",""\n'
        f'"Bo","{"b" * 250}@example.com","Sales",""\n'
    ).encode()
    before = rows_written()
    plan = preview_then_apply(owners, manager, kind="owners")
    assert plan.counts["reject"] == 2 and rows_written() == before
    Account.objects.create(crm_id="A-1", name="Acme", owner=owner)
    contacts = (
        '"Contact ID","Account ID","Full Name","Email","Title"\n'
        '"P-1","A-1","Kei\x00","",""\n'
        f'"{"P" * 65}","A-1","Kei","",""\n'
        '"P-3","A-\x001","Kei","",""\n'
    ).encode()
    before = rows_written()
    plan = preview_then_apply(contacts, manager, kind="contacts")
    assert plan.counts["reject"] == 3 and rows_written() == before


# --- File-level messages --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00\x00garbage",  # neither UTF-8 nor Shift_JIS
        b'"Account ID","Account Name"\n"A-1","x"\n',  # required columns missing
        b"",
    ],
)
def test_an_unreadable_file_is_refused_whole_and_writes_nothing(manager, owner, data):
    before = rows_written()
    with pytest.raises(UnreadableFile):
        run_import(data, kind="accounts", layout="salesforce", by=manager, dry_run=False)
    assert rows_written() == before


@pytest.mark.parametrize(
    "mapping",
    [
        "[" * 50_000,
        '{"a":' * 5_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "{not json",
        '["crm_id"]',
        '{"name": 3}',
    ],
)
def test_a_bad_custom_mapping_is_a_clear_message(manager, owner, mapping):
    with pytest.raises(ValueError, match="A custom mapping is a JSON object"):
        run_import(
            accounts_file(account()),
            kind="accounts",
            layout="custom",
            custom_mapping=mapping,
            by=manager,
        )


# --- Through the pages: preview, confirm, cancel, and the files left behind ------------------


def upload(client, data: bytes, **fields):
    file = SimpleUploadedFile("export.csv", data, content_type="text/csv")
    values = {"kind": "accounts", "layout": "salesforce", "file": file, **fields}
    return client.post(reverse("crm_import"), values)


def ticket_of(response) -> str:
    return response.content.decode().split('name="ticket" value="')[1].split('"')[0]


@pytest.fixture
def manager_client(client, manager, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(manager)
    return client


def stored_uploads() -> list:
    return sorted(uploads.folder().glob("*.csv"))


def test_a_nul_row_previews_as_rejected_and_confirm_writes_the_rest(manager_client, owner):
    data = accounts_file(account(name="Acme\x00KK"), account(crm_id="A-2", name="Beta KK"))
    preview = upload(manager_client, data)
    page = preview.content.decode()
    assert "1 to create" in page and "1 rejected" in page and "NUL character" in page
    done = manager_client.post(
        reverse("crm_import_confirm"), {"ticket": ticket_of(preview)}, follow=True
    )
    assert done.status_code == 200 and "1 created" in done.content.decode()
    assert list(Account.objects.values_list("crm_id", flat=True)) == ["A-2"]
    assert stored_uploads() == []  # confirmed: the file is gone


def test_a_deep_mapping_is_a_message_on_the_form(manager_client, owner):
    data = accounts_file(account())
    response = upload(manager_client, data, layout="custom", mapping="[" * 50_000)
    assert response.status_code == 200
    assert "A custom mapping is a JSON object" in response.content.decode()
    assert stored_uploads() == []


def test_row_rejections_are_explained_in_japanese(manager_client, manager, owner):
    manager.language = "ja"
    manager.save()
    data = accounts_file(account(crm_id="9" * 200_000), account(name="Acme\x00KK"))
    preview = upload(manager_client, data)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "CRM IDが64文字を超えています" in page and "名前にNUL文字が含まれています" in page


def test_cancel_deletes_the_uploaded_file(manager_client, owner):
    preview = upload(manager_client, accounts_file(account()))
    assert len(stored_uploads()) == 1
    response = manager_client.post(
        reverse("crm_import_cancel"), {"ticket": ticket_of(preview)}, follow=True
    )
    assert "nothing was imported" in response.content.decode()
    assert stored_uploads() == [] and not Account.objects.exists()


def test_stale_uploads_are_deleted_after_a_day_by_the_daily_job(manager_client, owner, clock):
    upload(manager_client, accounts_file(account()))
    fresh_yesterday = stored_uploads()[0]
    clock.shift(dt.timedelta(hours=23))
    call_command("delete_stale_imports")
    assert stored_uploads() == [fresh_yesterday]  # not a day old yet
    clock.shift(dt.timedelta(hours=2))
    upload(manager_client, accounts_file(account(crm_id="A-9")))  # a new preview stays
    assert tasks.delete_stale_imports() == 1
    assert fresh_yesterday not in stored_uploads() and len(stored_uploads()) == 1


def test_the_daily_job_is_scheduled_at_half_past_three():
    entry = celery_app.conf.beat_schedule["delete-stale-imports"]
    assert entry["task"] == "interviews.tasks.delete_stale_imports"
    schedule = entry["schedule"]
    assert schedule.hour == {3} and schedule.minute == {30}
