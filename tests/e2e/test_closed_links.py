"""Old email links in a real browser, at desktop and phone width, in English and Japanese:
an expired link and one from before a hand-over say only that the link is done, who filed
the request, and how to sign in; the CRM import preview can be cancelled."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from interviews import jobs, workflow

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^/\s]+(/r/[^/\s]+/owner_go_ahead/)")
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
HEADINGS = {
    "en": ("This link has expired", "This request was passed on"),
    "ja": ("このリンクは有効期限が切れています", "この依頼は別の担当者に引き継がれました"),
}


@pytest.fixture(params=["en", "ja"])
def language(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, language):
    # The browser's own language, as a Japanese colleague's would be.
    return {**browser_context_args, "locale": {"en": "en-US", "ja": "ja-JP"}[language]}


def test_closed_links_show_only_who_to_ask(
    page, live_server, file_request, sales, cs, manager, settings, shot, language
):
    settings.ACTION_LINK_MAX_AGE_DAYS = 30
    request = file_request()
    jobs.process_deadlines()
    (message,) = [m for m in mail.outbox if m.to == [sales.email]]
    (link,) = LINK.findall(message.body)
    expired_heading, passed_heading = HEADINGS[language]

    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.goto(live_server.url + link)
            expect(page.get_by_role("heading", name=expired_heading)).to_be_visible()
            expect(page.get_by_role("link", name="marketer@example.com")).to_be_visible()
            expect(page.locator("main")).not_to_contain_text(request.topic)
            shot(f"expired-{size}-{language}")

    workflow.request_reassign_owner(
        request_id=request.pk, by=manager, new_owner=cs, reason="Sato is on leave until May"
    )
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(live_server.url + link)
        main = page.locator("main")
        expect(page.get_by_role("heading", name=passed_heading)).to_be_visible()
        expect(main).to_contain_text("marketer@example.com")
        expect(main).not_to_contain_text("on leave")
        expect(main).not_to_contain_text(cs.name)
        shot(f"passed-on-{size}-{language}")
