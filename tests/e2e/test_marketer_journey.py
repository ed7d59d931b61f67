"""The marketer's journey in a real browser: sign in, file a request (seeing the owner and
the exact deadline first), find it in the list, open it, comment, switch to Japanese.
And the same filing with JavaScript switched off."""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from interviews import dates, workflow
from interviews.models import Comment, InterviewRequest, Status

pytestmark = pytest.mark.django_db(transaction=True)

TOPIC = "How Acme closes its books in three days"


def expected_deadline(user) -> str:
    """The deadline the owner would get if filed now, as the page shows it to `user`."""
    due = workflow.response_deadline_preview()
    with translation.override(user.language), timezone.override(zoneinfo.ZoneInfo(user.time_zone)):
        return dates.moment(due)


def test_marketer_files_a_request_and_follows_it(
    page, live_server, sign_in, shot, marketer, account, candidate
):
    sign_in(marketer.email)
    expect(page.locator(".topbar .name")).to_have_text(marketer.name)
    expect(page.get_by_role("heading", name="Interview requests")).to_be_visible()
    shot("home")

    # --- File: pick the account by typing, see the owner and the deadline, fill in. ------
    page.locator(".topbar").get_by_role("link", name="New request").click()
    expect(page.get_by_role("heading", name="New interview request")).to_be_visible()
    shot("new-request")
    page.get_by_label("Find the account").fill("acme")
    # htmx swaps in the matching accounts; a single match is chosen and its panel loads.
    panel = page.locator("#account-panel")
    expect(panel).to_contain_text("Sato Sales (Sales)")
    expect(panel.locator(".deadline")).to_contain_text(expected_deadline(marketer))
    expect(page.get_by_label("Account", exact=True)).to_have_value(str(account.pk))
    shot("owner-and-deadline")

    page.get_by_label("Tanaka Hanako (CIO)").check()
    page.get_by_label("Purpose").select_option("case_study")
    page.get_by_label("Topic").fill(TOPIC)
    page.get_by_label("Questions we want answered").fill(
        "What did month-end look like before?\nWhat changed first?"
    )
    page.get_by_label("Note to the owner").fill("For the finance landing page.")
    shot("filled")
    page.get_by_role("button", name="File the request").click()

    expect(page.get_by_role("heading", name=f"Acme KK: {TOPIC}")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Request filed. Sato Sales is asked")
    # Five business days, counted from the next business day when filed after hours.
    left = re.compile(r"Sato Sales has \d+ business days? left to answer")
    expect(page.locator(".next-step")).to_contain_text(left)
    shot("filed")
    request = InterviewRequest.objects.get()
    assert request.status == Status.AWAITING_OWNER
    assert [c.name for c in request.candidates.all()] == ["Tanaka Hanako"]

    # --- Find it in the list: filtering as you type, without a page load. ----------------
    page.locator(".topbar").get_by_role("link", name="Requests").click()
    page.get_by_label("Search").fill("three days")
    expect(page).to_have_url(re.compile(r"\?.*q=three(\+|%20)days"))
    results = page.locator("#results")
    expect(results).to_contain_text("1 request")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Waiting for the owner")
    # The row says how soon at a glance; the sentence is on the request's page.
    expect(results.locator(".chip")).to_contain_text(re.compile(r"\d+ business days? left · "))
    shot("list-filtered")
    page.get_by_label("Search").fill("no such thing")
    expect(results).to_contain_text("No request matches these filters.")
    page.get_by_label("Search").fill("acme")
    results.get_by_role("link", name="Acme KK").click()

    # --- Open it and write to the owner. -------------------------------------------------
    expect(page.get_by_role("heading", name=f"Acme KK: {TOPIC}")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Filed")
    page.get_by_label("Add a comment").fill("Hanako-san spoke at our user group last month.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Hanako-san spoke at our user group")
    shot("commented")
    assert Comment.objects.get().request == request

    # --- Switch the language: remembered for the user. ----------------------------------
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".topbar nav")).to_contain_text("依頼一覧")
    expect(page.get_by_role("heading", name=f"Acme KK: {TOPIC}")).to_be_visible()
    shot("japanese")
    marketer.refresh_from_db()
    assert marketer.language == "ja"


def test_filing_works_without_javascript(
    browser, live_server, marketer, account, candidate, request
):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Email address").fill(marketer.email)
        page.get_by_label("Password").fill("pw")
        page.locator("main form button[type=submit]").click()
        page.goto(f"{live_server.url}/requests/new/")

        page.get_by_label("Topic").fill(TOPIC)  # typed first: it must survive the search
        page.get_by_label("Find the account").fill("acme")
        page.get_by_role("button", name="Search").click()
        # The one match is chosen and the owner and deadline are shown, typed text kept.
        expect(page.locator("#account-panel")).to_contain_text("Sato Sales (Sales)")
        expect(page.locator("#account-panel .deadline")).to_contain_text(
            expected_deadline(marketer)
        )
        expect(page.get_by_label("Topic")).to_have_value(TOPIC)

        page.get_by_label("Tanaka Hanako (CIO)").check()
        page.get_by_label("Purpose").select_option("research")
        page.get_by_label("Questions we want answered").fill("Why us?")
        page.get_by_role("button", name="File the request").click()
        expect(page.get_by_role("heading", name=f"Acme KK: {TOPIC}")).to_be_visible()

        # The list filters with a plain GET form.
        page.goto(f"{live_server.url}/")
        page.get_by_label("Status").select_option("deferred")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#results")).to_contain_text("No request matches these filters.")
        page.get_by_label("Status").select_option("open")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#results")).to_contain_text(TOPIC)
    finally:
        context.close()
    assert InterviewRequest.objects.get().purpose == "research"
