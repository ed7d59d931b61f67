"""Every page the findings touch, at phone and desktop width, in English and Japanese:
the library, a request's findings and shared notes, correcting a finding, an account's
findings, and the answer page with the notes form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews import links, workflow
from interviews.models import FindingKind
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
HEADINGS = {"en": ("Findings", "What we learned"), "ja": ("学び", "インタビューで得られたこと")}


@pytest.fixture(params=["en", "ja"])
def language(request):
    return request.param


@pytest.fixture
def world(file_request, marketer, sales, candidate, account, language):
    for person in (marketer, sales):
        person.language = language
        person.save()
    account.industry = "製造業"
    account.save()
    request = workflow.request_owner_go_ahead(request_id=file_request().pk, by=sales)
    workflow.request_schedule(
        request_id=request.pk, by=marketer, interview_at=timezone.now() - dt.timedelta(hours=1)
    )
    workflow.request_complete(request_id=request.pk, by=marketer, outcome_summary="Good talk.")
    found = workflow.findings_add(
        request_id=request.pk,
        by=marketer,
        items=[
            workflow.FindingInput(
                kind=FindingKind.WHY_US, statement="決め手は監査ログの使いやすさでした。"
            ),
            workflow.FindingInput(
                kind=FindingKind.FIRST_VALUE,
                statement="Value showed at the first month-end close.",
                quote="月次決算が三日早くなり、経理チームが本来の仕事に戻れました",
                speaker_id=candidate.pk,
                quotable=True,
            ),
            workflow.FindingInput(kind=FindingKind.OBJECTION, statement="Price worried the CFO."),
        ],
    )
    other = AccountFactory(owner=sales, name="Beta KK")
    waiting = workflow.request_file(
        by=marketer,
        account=other,
        candidates=[CandidateFactory(account=other)],
        purpose="research",
        topic="Why Beta chose us",
        questions="What else did you consider?",
    )
    workflow.sales_context_add(
        request_id=waiting.pk,
        by=sales,
        excerpt="CFO: month-end close is the pain; they trialled a competitor in spring.",
        links="https://crm.example.com/notes/42\nhttps://recordings.example.com/call/7",
        comment="Good relationship; ask for Ito-san.",
    )
    return {"completed": request, "finding": found[1], "waiting": waiting, "account": account}


def test_findings_pages_at_both_widths(page, live_server, sign_in, shot, world, sales, language):
    base = live_server.url
    library_heading, learned = HEADINGS[language]
    sign_in("marketer@example.com")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(f"{base}/findings/?q=監査ログ")
        expect(page.get_by_role("heading", name=library_heading, exact=True)).to_be_visible()
        expect(page.locator("#results li.finding")).to_have_count(1)
        shot(f"library-search-{size}-{language}")
        page.goto(f"{base}/findings/")
        expect(page.locator("#results li.finding")).to_have_count(3)
        shot(f"library-{size}-{language}")
        page.goto(f"{base}/requests/{world['completed'].pk}/")
        expect(page.locator("#findings h2")).to_have_text(learned)
        page.locator("#findings summary").click()
        shot(f"request-findings-{size}-{language}")
        page.goto(f"{base}/findings/{world['finding'].pk}/edit/")
        shot(f"edit-{size}-{language}")
        page.goto(f"{base}/accounts/{world['account'].pk}/")
        expect(page.locator("#findings li.finding")).to_have_count(3)
        shot(f"account-{size}-{language}")
        page.goto(f"{base}/requests/{world['waiting'].pk}/")
        expect(page.locator("#sales-context")).to_contain_text("month-end close is the pain")
        shot(f"request-sales-context-marketer-{size}-{language}")
    page.context.clear_cookies()
    token = links.make_token(world["waiting"], sales)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(f"{base}/r/{token}/owner_go_ahead/")
        expect(page.locator("#sales-context form")).to_be_visible()
        shot(f"answer-page-notes-{size}-{language}")
