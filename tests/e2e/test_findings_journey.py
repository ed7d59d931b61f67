"""Findings in a real browser: the marketer completes a request and adds three findings
(one a quote), the owner opens the email and follows it to the library, and another sales
rep searches the library in Japanese and finds the quote."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Department
from interviews import jobs, workflow
from interviews.models import Finding
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "月次決算が三日早くなり、経理チームが本来の仕事に戻れました"


@pytest.fixture
def scheduled(file_request, sales, marketer):
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    return workflow.request_schedule(
        request_id=request.pk,
        by=marketer,
        interview_at=timezone.now() - dt.timedelta(hours=2),
        location="Online",
    )


def test_findings_reach_the_owner_and_the_library(
    page, live_server, sign_in, shot, settings, scheduled, marketer, sales, candidate
):
    settings.SITE_URL = live_server.url
    sign_in(marketer.email)
    page.goto(f"{live_server.url}/requests/{scheduled.pk}/")

    # --- The marketer records the outcome, then three findings. ------------------------
    page.get_by_label("Summary").fill("Close went from nine days to three.")
    page.get_by_role("button", name="Complete and share with the owner").click()
    expect(page.locator(".messages")).to_contain_text("Completed")
    form = page.locator("form.findings-form")
    expect(form).to_be_visible()
    shot("completed")
    form.locator('[name="findings-0-kind"]').select_option("why_us")
    form.locator('[name="findings-0-statement"]').fill("The audit trail won the deal.")
    form.locator('[name="findings-1-kind"]').select_option("first_value")
    form.locator('[name="findings-1-statement"]').fill("Value showed at the first month-end.")
    form.locator('[name="findings-1-quote"]').fill(QUOTE)
    form.locator('[name="findings-1-speaker"]').select_option(label="Tanaka Hanako")
    form.locator('[name="findings-1-quotable"]').check()
    form.locator('[name="findings-2-kind"]').select_option("objection")
    form.locator('[name="findings-2-statement"]').fill("Price worried the CFO at first.")
    shot("findings-filled")
    form.get_by_role("button", name="Save findings").click()
    expect(page.locator(".messages")).to_contain_text("3 finding(s) added")
    findings = page.locator("#findings")
    expect(findings.locator("li.finding")).to_have_count(3)
    expect(findings).to_contain_text(QUOTE)
    expect(findings).to_contain_text("Quotable externally")
    shot("findings-saved")
    assert Finding.objects.count() == 3

    # --- The owner opens the email and follows it to the library. ----------------------
    jobs.process_deadlines()
    (message,) = [
        m
        for m in mail.outbox
        if m.to == [sales.email] and m.extra_headers["X-Interview-Relay-Kind"] == "findings_shared"
    ]
    assert message.subject == "What we learned from Acme KK: 3 findings"
    page.context.clear_cookies()
    page.set_content(message.alternatives[0][0])
    expect(page.get_by_text(QUOTE)).to_be_visible()
    shot("owner-email")
    page.get_by_role("link", name="All findings for this account").click()
    page.get_by_label(re.compile("Email address")).fill(sales.email)
    page.get_by_label(re.compile("Password")).fill("pw")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("3 findings")
    expect(page.locator("#results")).to_contain_text(QUOTE)
    shot("owner-library")

    # --- Another sales rep searches the library and finds the quote. -------------------
    page.context.clear_cookies()
    UserFactory(email="rep@example.com", name="Rei Rep", department=Department.SALES)
    sign_in("rep@example.com")
    page.locator(".topbar").get_by_role("link", name="Findings").click()
    # A word from the middle of the quote, no spaces around it.
    page.get_by_label("Search").fill("経理チーム")
    results = page.locator("#results")
    expect(page).to_have_url(re.compile(r"\?.*q="))
    expect(results).to_contain_text("1 finding")
    expect(results.locator("li.finding")).to_have_count(1)
    expect(results).to_contain_text(QUOTE)
    expect(results.locator(".badge.quotable")).to_have_text("Quotable externally")
    expect(results).to_contain_text("Tanaka Hanako")
    shot("rep-search")
    # Everything learned from the account it came from (its page is the owner's).
    results.get_by_role("link", name="Acme KK").click()
    expect(page).to_have_url(re.compile(r"account=\d+"))
    expect(page.locator("#results")).to_contain_text("3 findings")
    expect(page.locator("#results")).not_to_contain_text("account page")
    shot("rep-account-findings")
