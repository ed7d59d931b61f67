"""The error pages in a real browser, as production serves them (DEBUG off): a missing
page and a form sent after its cookie was lost, at phone and desktop width, in both
languages; each fits the window and the CSP refuses nothing on them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {
    "en": ("This page does not exist", "This form could not be sent"),
    "ja": ("このページは存在しません", "このフォームを送信できませんでした"),
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_error_pages_fit_and_say_what_happened(browser, live_server, language, request):
    from tests.e2e.conftest import SCREENSHOTS

    folder = SCREENSHOTS / request.node.originalname / language
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    missing, csrf = HEADINGS[language]
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/no/such/page/")
        expect(page.get_by_role("heading", name=missing)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(folder / f"404-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/login/")
        context.clear_cookies()  # the CSRF cookie is gone, as after a long pause
        page.locator("input[name=username]").fill("someone@example.com")
        page.locator("input[name=password]").fill("x")
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("heading", name=csrf)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(folder / f"csrf-{width}.png"), full_page=True)
    assert refused == []
    context.close()
