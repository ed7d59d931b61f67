"""The manager's import page and the management command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Account, User

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "crm"


def upload(client, name, kind, layout="salesforce"):
    file = SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type="text/csv")
    return client.post(reverse("crm_import"), {"kind": kind, "layout": layout, "file": file})


def test_preview_then_import(client, manager, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(manager)
    assert client.get(reverse("crm_import")).status_code == 200
    preview = upload(client, "salesforce_users.csv", "owners")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert (
        "5 to create" in page and "3 rejected" in page and "unknown department Zoo keeping" in page
    )
    assert not User.objects.filter(email="kenta.sato@example.com").exists()

    ticket = page.split('name="ticket" value="')[1].split('"')[0]
    done = client.post(reverse("crm_import_confirm"), {"ticket": ticket}, follow=True)
    assert "5 created" in done.content.decode()
    assert User.objects.filter(email="kenta.sato@example.com").exists()
    # The same preview cannot be imported twice.
    again = client.post(reverse("crm_import_confirm"), {"ticket": ticket}, follow=True)
    assert "expired or was already imported" in again.content.decode()


def test_a_tampered_ticket_imports_nothing(client, manager, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(manager)
    response = client.post(reverse("crm_import_confirm"), {"ticket": "forged"}, follow=True)
    assert "expired or was already imported" in response.content.decode()


def test_an_unreadable_file_re_renders_the_form_with_the_reason(
    client, manager, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(manager)
    file = SimpleUploadedFile("x.csv", b"Name,Owner\nA,b@example.com\n", content_type="text/csv")
    response = client.post(
        reverse("crm_import"), {"kind": "accounts", "layout": "salesforce", "file": file}
    )
    assert (
        response.status_code == 200 and "Missing columns: Account ID" in response.content.decode()
    )


@pytest.mark.parametrize("who", ["marketer", "sales", "cs"])
def test_only_managers_and_admins_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("crm_import")).status_code == 403
    assert client.post(reverse("crm_import_confirm"), {"ticket": "x"}).status_code == 403


def test_the_command_dry_runs_then_applies(manager, capsys):
    call_command("import_crm", "owners", str(FILES / "salesforce_users.csv"), "--as", manager.email)
    out = capsys.readouterr().out
    assert "Dry run (nothing written): 5 create, 0 update, 0 unchanged, 3 reject" in out
    assert "line 9\treject\tpenguin@example.com\tunknown department Zoo keeping" in out
    assert not User.objects.filter(email="kenta.sato@example.com").exists()
    call_command(
        "import_crm",
        "owners",
        str(FILES / "salesforce_users.csv"),
        "--as",
        manager.email,
        "--apply",
    )
    call_command(
        "import_crm",
        "accounts",
        str(FILES / "hubspot_companies_sjis.csv"),
        "--layout",
        "hubspot",
        "--as",
        manager.email,
        "--apply",
        "--quiet-rows",
    )
    assert "Imported: 3 create" in capsys.readouterr().out
    assert Account.objects.count() == 3


def test_the_command_explains_bad_input(manager):
    with pytest.raises(CommandError, match="Missing columns"):
        call_command(
            "import_crm", "contacts", str(FILES / "salesforce_users.csv"), "--as", manager.email
        )
