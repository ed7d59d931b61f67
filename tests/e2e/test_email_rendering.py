"""Every email, opened in Chromium as a phone and a desktop mail client would show it.

The HTML parts of every kind, in both languages, are written to artifacts/emails/<lang>/
(with the text part beside each), then opened at 375 px and 600 px wide, light and dark:
nothing may be wider than the screen, and an email that asks the owner for an answer must
show its first answer button without scrolling on a phone. Full-page screenshots land in
artifacts/emails/<lang>/screenshots/ (ignored by git, kept by CI).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core import mail

from interviews import jobs
from tests.factories import AccountFactory, CandidateFactory
from tests.interviews.email_journey import html_of, kind_of, send_every_kind, tokyo

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "emails"
ASKS_FOR_AN_ANSWER = {"new_request", "woke", "reminder"}
PHONE, DESKTOP = 375, 600
# What a phone shows before any scrolling (an iPhone mini's mail view is a bit more).
FIRST_SCREEN = 600


def _write(folder: Path, name: str, message) -> Path:
    path = folder / f"{name}.html"
    path.write_text(html_of(message), encoding="utf-8")
    (folder / f"{name}.txt").write_text(
        f"Subject: {message.subject}\n\n{message.body}", encoding="utf-8"
    )
    return path


def _every_email(sent) -> dict[str, object]:
    """One email of each kind; the owner's copy of an answer a manager gave for them too."""
    chosen: dict[str, object] = {}
    for message in sent:
        name = kind_of(message)
        if name == "decided" and message.to == ["sales@example.com"]:
            name = "decided-on-behalf"
        chosen.setdefault(name, message)
    return chosen


def _look(page, files: dict[str, Path], folder: Path) -> None:
    shots = folder / "screenshots"
    for width, scheme in ((PHONE, "light"), (DESKTOP, "light"), (PHONE, "dark")):
        page.set_viewport_size({"width": width, "height": 800})
        page.emulate_media(color_scheme=scheme)
        for name, path in files.items():
            page.goto(path.as_uri())
            suffix = f"{width}" if scheme == "light" else f"{width}-dark"
            page.screenshot(path=str(shots / f"{name}-{suffix}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (name, width, overflow)
            if scheme == "dark":
                card = page.evaluate(
                    "getComputedStyle(document.querySelector('.card')).backgroundColor"
                )
                assert card != "rgb(255, 255, 255)", (name, card)
            if width == PHONE and name.split("-")[0] in ASKS_FOR_AN_ANSWER:
                top = page.evaluate(
                    "document.querySelector('a.btn-primary-link').getBoundingClientRect().top"
                )
                assert top < FIRST_SCREEN, (name, top)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_email_reads_well_on_a_phone_and_on_a_desktop(
    language, page, clock, file_request, marketer, sales, cs, manager
):
    sent = send_every_kind(
        language,
        clock=clock,
        file_request=file_request,
        marketer=marketer,
        sales=sales,
        cs=cs,
        manager=manager,
    )
    folder = ARTIFACTS / language
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "screenshots").mkdir(parents=True)
    files = {name: _write(folder, name, m) for name, m in _every_email(sent).items()}
    assert {"new_request", "reminder", "weekly_digest", "decided-on-behalf"} <= set(files)
    _look(page, files, folder)


def test_a_thirty_request_reminder_stays_whole_in_gmail_and_on_a_phone(
    page, clock, file_request, sales
):
    sales.language = "ja"
    sales.save()
    for n in range(30):
        account = AccountFactory(owner=sales, name=f"株式会社テスト{n:02d}")
        clock.move_to(tokyo(2026, 11, 30, 10, n))
        file_request(
            account=account,
            candidates=[CandidateFactory(account=account)],
            topic=f"導入事例 {n:02d}",
        )
    jobs.process_deadlines()
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    jobs.process_deadlines()
    (message,) = [m for m in mail.outbox if kind_of(m) == "reminder"]
    size = len(html_of(message).encode())
    assert size < 102 * 1024, size  # Gmail clips larger HTML
    folder = ARTIFACTS / "reminder-30"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "screenshots").mkdir(parents=True)
    path = _write(folder, "reminder", message)
    (folder / "size.txt").write_text(f"{size} bytes of HTML\n")
    _look(page, {"reminder": path}, folder)
    assert re.search(r"ほかに20件", message.body)
