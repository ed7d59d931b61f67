"""The preferences page at phone and desktop width, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.slack_app.conftest import BOT_TOKEN, SIGNING_SECRET

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_choosing_where_requests_reach_me(
    page, live_server, sign_in, sales, shot, settings, language
):
    settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET = BOT_TOKEN, SIGNING_SECRET
    sales.slack_user_id, sales.language = "U0SALES", language
    sales.save()
    sign_in(sales.email)
    page.locator(".topbar .name").click()
    expect(page.locator("h1")).to_have_text(
        "Where requests reach you" if language == "en" else "依頼の受け取り方"
    )
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        shot(f"preferences-{language}-{width}")
    page.locator("input[value=slack]").check()
    page.locator("main form.stack button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(
        "Slack only" if language == "en" else "Slackのみ"
    )
    page.set_viewport_size({"width": 390, "height": 800})
    shot(f"saved-{language}-390")
    sales.refresh_from_db()
    assert sales.notify_via == "slack"
