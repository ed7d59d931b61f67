"""The owner answers from the email in a real browser, signed out: Not now with a date and
reason, then the stale Go ahead link explains itself."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from interviews import jobs
from interviews.models import Status

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^/\s]+(/r/[^/\s]+/(defer|owner_go_ahead)/)")


def test_owner_defers_from_the_email_then_the_old_link_says_so(
    page, live_server, file_request, sales, shot
):
    request = file_request()
    jobs.process_deadlines()
    (message,) = [m for m in mail.outbox if m.to == [sales.email]]
    links = {action: path for path, action in LINK.findall(message.body)}

    page.goto(live_server.url + links["defer"])
    # The heading names the answer without the button's ellipsis.
    expect(page.get_by_role("heading", name="Not now", exact=True)).to_be_visible()
    expect(page.get_by_text(request.topic).first).to_be_visible()
    shot("defer-form")

    first_allowed = page.get_by_label("Ask me again on").get_attribute("min")
    page.get_by_label("Ask me again on").fill(first_allowed)
    page.get_by_label("Customer too busy").check()
    page.get_by_label("A few words for marketing").fill("Year-end close; ask me in January.")
    shot("defer-filled")
    page.get_by_role("button", name="Defer the request").click()

    expect(page.get_by_role("heading", name="Your answer is recorded")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Deferred")
    expect(timeline).to_contain_text("Year-end close; ask me in January.")
    shot("deferred")
    request.refresh_from_db()
    assert request.status == Status.DEFERRED

    page.goto(live_server.url + links["owner_go_ahead"])
    expect(page.get_by_role("heading", name="Your answer is recorded")).to_be_visible()
    expect(page.get_by_text("Deferred by the owner").first).to_be_visible()
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)
    shot("stale-go-ahead")
    request.refresh_from_db()
    assert request.status == Status.DEFERRED
