"""The top bar at desktop widths: with every link a person can have (a manager who is also
an admin) and the longest labels (Japanese), the links wrap onto a second row rather than
pushing the page sideways."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [960, 1100, 1280])
def test_the_fullest_top_bar_wraps_instead_of_overflowing(
    page, live_server, sign_in, manager, width
):
    manager.language = "ja"
    manager.name = "Mori Manager (Sales Operations, Tokyo)"
    manager.is_staff = manager.is_superuser = True
    manager.set_password("pw")
    manager.save()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(manager.email)
    page.goto(f"{live_server.url}/findings/")
    links = page.locator(".topbar nav a")
    assert links.count() >= 8  # queue, requests, new, dashboard, import, accounts, findings, admin
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every link, the language switch, the name and the sign-out stay inside the window.
    items = page.locator(".topbar nav a, .topbar .user > *")
    for box in [items.nth(i).bounding_box() for i in range(items.count())]:
        assert box["x"] + box["width"] <= width
