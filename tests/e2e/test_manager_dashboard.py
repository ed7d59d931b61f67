"""The demo manager opens the dashboard in a real browser: filters by an owner, opens a
stalled request, exports the stalled list as CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from interviews import jobs
from interviews.demo_data import DEMO_PASSWORD, load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_finds_a_stalled_request_and_exports_the_list(page, live_server, sign_in, shot):
    load_demo_data()
    jobs.process_deadlines()  # as the demo does on start: the overdue request switches
    sign_in("manager@example.com", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"Stalled requests? \(\d+\)"))
    ).to_be_visible()
    # Every chart has drawn (Chart.js sets the canvas size) and has its table.
    for chart in ("chart-reasons", "chart-trend", "chart-funnel"):
        expect(page.locator(f"#{chart}")).to_have_attribute("height", re.compile(r"\d+"))
    expect(page.get_by_role("table", name="Reasons for deferring and declining")).to_be_visible()
    shot("dashboard")

    page.get_by_label("Owner", exact=True).select_option(label="Kenta Sato")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"owner=\d+"))
    stalled = page.locator("table.stalled tbody tr")
    expect(stalled.first).to_contain_text("Kenta Sato")
    expect(stalled.first).to_contain_text("More than half of the owner's window has passed.")
    expect(page.get_by_role("table", name="Owners").locator("tbody tr")).to_have_count(1)
    shot("filtered-by-owner")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the stalled list (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"stalled-requests-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = download.path().read_bytes()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert "Kenta Sato" in text and "生産管理のクラウド移行" in text

    topic = stalled.first.get_by_role("link")
    title = topic.inner_text()
    topic.click()
    expect(page).to_have_url(re.compile(r"/requests/\d+/$"))
    expect(page.get_by_text(title.split(": ", 1)[1]).first).to_be_visible()
    shot("stalled-request")
