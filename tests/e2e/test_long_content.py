"""What people type is often longer than a demo's: a topic that is a document's link, a
Japanese company name with no space to break at, a long email address. Every page that
shows them still fits a phone and a desktop, and so does the owner's email on a phone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from interviews import jobs, links
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import AccountFactory, CandidateFactory, UserFactory
from tests.interviews.email_journey import html_of

pytestmark = pytest.mark.django_db(transaction=True)

DOC = "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJ/edit"
COMPANY = "株式会社" + "東日本総合情報通信技術開発研究所" * 3  # no space to break at
LONG_EMAIL = "yamada.taro.enterprise-sales.tokyo-headquarters.east-japan@example.co.jp"


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_long_links_names_and_addresses_fit_every_page_and_the_email(
    page, live_server, sign_in, file_request, marketer, lang
):
    owner = UserFactory(email=LONG_EMAIL, name="山田 太郎", department="sales", language=lang)
    account = AccountFactory(name=COMPANY, owner=owner, domain="example.co.jp")
    person = CandidateFactory(
        account=account, name="佐藤 花子", title=f"Owner of {DOC}", email=LONG_EMAIL
    )
    marketer.language = lang
    marketer.save()
    request = file_request(
        account=account,
        candidates=[person],
        topic=f"Case study from {DOC}",
        questions=f"Please read {DOC} first.\nThen: what changed in month one?",
        note_to_owner=f"Background: {DOC}",
    )
    jobs.process_deadlines()
    (email,) = [m for m in mail.outbox if m.to == [owner.email]]
    folder = SCREENSHOTS / "test_long_content" / lang
    folder.mkdir(parents=True, exist_ok=True)

    answer_link = reverse("action_link", args=[links.make_token(request, owner), "defer"])
    pages = {
        "marketer": [
            "/",
            f"/requests/{request.pk}/",
            f"/requests/{request.pk}/edit/",
            f"/accounts/{account.pk}/",
            f"/requests/new/?account={account.pk}",
        ],
        "owner": ["/waiting/", f"/requests/{request.pk}/answer/defer/"],
        "signed out": [answer_link],
    }
    too_wide = []
    for who, paths in pages.items():
        page.context.clear_cookies()
        if who != "signed out":
            sign_in((marketer if who == "marketer" else owner).email)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            for path in paths:
                assert page.goto(live_server.url + path).status == 200, path
                name = re.sub(r"[^a-z0-9]+", "-", f"{who}{path[:40]}-{width}")
                page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                if _scroll_width(page) > width:
                    too_wide.append((who, path, width, _scroll_width(page)))

    html_file = folder / "owner-email.html"
    html_file.write_text(html_of(email), encoding="utf-8")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(html_file.as_uri())
    page.screenshot(path=str(folder / "owner-email-375.png"), full_page=True)
    if _scroll_width(page) > 375:
        too_wide.append(("email", "owner's request email", 375, _scroll_width(page)))
    assert too_wide == []
