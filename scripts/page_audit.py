"""Measure every page each role reaches on a running server: the width it lays out at
(document scrollWidth against the window's width) and axe-core's violations by impact.

    uv run manage.py demo 127.0.0.1:8708 &          # any server with the demo users
    uv run python scripts/page_audit.py http://127.0.0.1:8708 [--shots DIR] [--lang ja]

Pages: the links in each role's navigation, plus one request in each status the role
can see (the first the list shows for that status filter). Prints one line per page and
width, then per role the widest page at 390 px and the totals of serious and critical
violations. The browser test tests/e2e/test_pages_fit.py asserts the same on test data.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

ROLES = {
    "marketer": "marketer@example.com",
    "sales": "sales@example.com",
    "cs": "cs@example.com",
    "manager": "manager@example.com",
}
STATUSES = [
    "awaiting_owner",
    "owner_outreach",
    "marketing_outreach",
    "deferred",
    "declined",
    "scheduled",
    "customer_declined",
    "completed",
    "cancelled",
]
VIEWPORTS = {390: 844, 1280: 800}
# Not ours to lay out (Django's admin) or not a page (the dev mailbox frames emails).
SKIP = re.compile(r"^/(admin|dev)/")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Measure:
    role: str
    path: str
    width: int
    scroll_width: int
    impacts: Counter = field(default_factory=Counter)
    rules: list[str] = field(default_factory=list)
    # What the browser refused under the CSP (an inline style or script): should be none.
    csp: list[str] = field(default_factory=list)
    # The page's HTTP status: an error page can fit a phone and pass axe too.
    status: int | None = None

    @property
    def fits(self) -> bool:
        return self.scroll_width <= self.width

    @property
    def serious(self) -> int:
        return self.impacts["serious"] + self.impacts["critical"]


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(urljoin(base, "/login/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def use_language(page: Page, lang: str) -> None:
    """Signed-in people read their own language: switch it (it is remembered)."""
    if page.evaluate("document.documentElement.lang") != lang:
        page.locator(f".lang-switch button[value={lang}]").first.click()
        page.wait_for_load_state()


def nav_paths(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("header nav a[href]", "els => els.map(e => e.href)")
    paths = []
    for href in hrefs:
        url = urlparse(href)
        if url.netloc == urlparse(base).netloc and not SKIP.match(url.path):
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return list(dict.fromkeys(paths))


def request_paths(page: Page, base: str) -> list[str]:
    """One request per status, as the role's list shows them."""
    found = []
    for status in STATUSES:
        page.goto(urljoin(base, f"/?status={status}"))
        link = page.locator("#results a[href^='/requests/']").first
        if link.count():
            found.append(link.get_attribute("href"))
    return found


def linked_paths(page: Page, base: str, start: str, selector: str, key) -> list[str]:
    """From page `start`, the first link matching `selector` for each distinct key(href)."""
    page.goto(urljoin(base, start))
    found: dict[str, str] = {}
    for href in page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))"):
        found.setdefault(key(href), href.split("#")[0])
    return list(found.values())


def extra_paths(page: Page, base: str, nav: list[str]) -> list[str]:
    """Pages one click from the navigation: the answer pages and an account's page."""
    paths = []
    if "/waiting/" in nav:
        paths += linked_paths(
            page,
            base,
            "/waiting/",
            "main a[href*='/answer/']",
            lambda h: h.rstrip("/").rsplit("/", 1)[-1],
        )
    paths += linked_paths(
        page, base, "/accounts/", "main a[href^='/accounts/'][href$='/']", lambda h: "one"
    )[:1]
    return paths


def measure(page: Page, axe: Axe, role: str, path: str, width: int) -> Measure:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    result = axe.run(page).response
    found = Measure(role, path, width, scroll_width)
    for violation in result["violations"]:
        found.impacts[violation["impact"]] += len(violation["nodes"])
        found.rules.append(f"{violation['id']}({violation['impact']}, {len(violation['nodes'])})")
    return found


def walk(
    browser: Browser, base: str, password: str, lang: str, shots: Path | None
) -> list[Measure]:
    """Every role's pages at both widths in `browser`, measured (and screenshotted)."""
    axe = Axe()
    measures: list[Measure] = []
    for role, email in ROLES.items():
        context = browser.new_context(
            viewport={"width": 1280, "height": 800},
            locale="ja-JP" if lang == "ja" else "en-US",
        )
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message, refused=refused: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        sign_in(page, base, email, password)
        use_language(page, lang)
        nav = nav_paths(page, base)
        requests = request_paths(page, base)
        paths = [*nav, "/how-it-works/", *extra_paths(page, base, nav), *requests]
        if requests:  # the answers and a manager's overrides on a request waiting for its owner
            paths += linked_paths(
                page,
                base,
                requests[0],
                "main a[href*='/answer/'], main a[href*='/manage/']",
                lambda h: h,
            )
        paths = list(dict.fromkeys(paths))
        for width, height in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                refused.clear()
                response = page.goto(urljoin(base, path))
                found = measure(page, axe, role, path, width)
                found.csp = list(refused)
                found.status = response.status if response else None
                measures.append(found)
                if shots:
                    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = shots / lang / str(width) / f"{role}-{name}.png"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(target), full_page=True)
        context.close()
    return measures


def audit(base: str, password: str, lang: str, shots: Path | None) -> list[Measure]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            return walk(browser, base, password, lang, shots)
        finally:
            browser.close()


def report(measures: list[Measure]) -> str:
    lines = ["| role | page | width | scrollWidth | serious | critical | rules |", "|---" * 7 + "|"]
    for m in measures:
        lines.append(
            f"| {m.role} | `{m.path}` | {m.width} | {m.scroll_width} | {m.impacts['serious']} "
            f"| {m.impacts['critical']} | {' '.join(m.rules + [f'CSP: {c}' for c in m.csp])} |"
        )
    lines += [
        "",
        "| role | widest page at 390 px | its scrollWidth | widest at 1280 | serious+critical |",
    ]
    lines.append("|---|---|---|---|---|")
    for role in ROLES:
        mine = [m for m in measures if m.role == role]
        narrow = [m for m in mine if m.width == 390]
        if not narrow:
            continue
        widest = max(narrow, key=lambda m: m.scroll_width)
        bad = sum(m.impacts["serious"] + m.impacts["critical"] for m in mine)
        wide = max((m.scroll_width for m in mine if m.width == 1280), default=0)
        lines.append(f"| {role} | `{widest.path}` | {widest.scroll_width} | {wide} | {bad} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--lang", default="en", choices=["en", "ja"])
    parser.add_argument("--shots", type=Path, help="folder for full-page screenshots")
    args = parser.parse_args()
    print(report(audit(args.base_url, args.password, args.lang, args.shots)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
