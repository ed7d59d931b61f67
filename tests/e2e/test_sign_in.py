import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_and_out(page, live_server, sign_in, marketer, shot):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    shot("login")
    sign_in(marketer.email)
    expect(page.locator(".topbar .name")).to_have_text(marketer.name)
    shot("home")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
