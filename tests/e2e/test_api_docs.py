"""The API's interactive docs in a real browser, under the site's Content-Security-Policy:
Swagger UI draws from our own files, and a signed-in person tries an endpoint."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_render_and_try_an_endpoint_with_the_session(
    page, live_server, sign_in, manager, file_request, shot
):
    file_request()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else outside.append(request.url)
        ),
    )
    sign_in(manager.email)

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Interview Relay API")
    operation = page.locator("#operations-requests-requests_list")
    expect(operation).to_be_visible()
    shot("docs")

    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    live = operation.locator(".live-responses-table .response .response-col_status")
    expect(live).to_have_text("200")
    expect(
        operation.locator(".live-responses-table tr.response .response-col_description")
    ).to_contain_text("Why Acme moved its ledger to us")
    shot("tried-the-list")

    assert violations == []
    assert outside == []
