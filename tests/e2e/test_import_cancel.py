"""A manager previews a CRM file and cancels: nothing is imported and the file is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Account
from interviews.crm_import import uploads

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    '"Account ID","Account Name","Website","Account Owner: Email"\n'
    '"A-1","Acme KK","acme.example","sales@example.com"\n'
    '"A-2","Beta\x00KK","beta.example","sales@example.com"\n'
)


@pytest.mark.parametrize("width", [1280, 390])
def test_preview_then_cancel(
    page, live_server, sign_in, manager, sales, settings, tmp_path, shot, width
):
    settings.VAR_DIR = tmp_path
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(manager.email)
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("What the file holds").select_option("accounts")
    page.get_by_label("CSV file (UTF-8 or Shift_JIS)").set_input_files(
        files=[{"name": "accounts.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("1 to create")).to_be_visible()
    expect(page.get_by_text("the name contains a NUL character")).to_be_visible()
    assert len(list(uploads.folder().glob("*.csv"))) == 1
    shot(f"preview-{width}")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Import cancelled: nothing was imported.")).to_be_visible()
    shot(f"cancelled-{width}")
    assert list(uploads.folder().glob("*.csv")) == [] and not Account.objects.exists()
