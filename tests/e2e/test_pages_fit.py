"""Every page each role reaches fits a phone and passes axe: on the demo data, for the
marketer, sales, CS and the manager, every page in their navigation, the answer pages, an
account's page and a request in each status, at 390x844 and 1280x800, in English and
Japanese. Nothing is wider than the window, axe-core reports nothing serious or critical,
and the browser refuses nothing under the CSP. Screenshots of each page land under
artifacts/screenshots/test_pages_fit/<lang>/<width>/ (scripts/page_audit.py measures a
running server the same way).
"""

from __future__ import annotations

import shutil

import pytest

from interviews import demo_data
from scripts.page_audit import ROLES, STATUSES, report, walk
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_page_fits_a_phone_and_passes_axe(browser, live_server, lang):
    demo_data.load_demo_data()
    shots = SCREENSHOTS / "test_pages_fit"
    shutil.rmtree(shots / lang, ignore_errors=True)

    measures = walk(browser, live_server.url, demo_data.DEMO_PASSWORD, lang, shots)

    summary = report(measures)
    assert {m.role for m in measures} == set(ROLES)
    # Every page a role's menus and lists lead to opens: no error page is measured instead.
    assert [(m.role, m.path, m.status) for m in measures if m.status != 200] == [], summary
    # The walk reached a request page in every status (demo data has each one).
    request_pages = {m.path for m in measures if m.path.startswith("/requests/")}
    assert len(request_pages) >= len(STATUSES), summary
    assert any("/answer/" in m.path for m in measures), summary
    assert [m for m in measures if not m.fits] == [], summary
    assert [m for m in measures if m.serious] == [], summary
    assert [m for m in measures if m.csp] == [], summary
