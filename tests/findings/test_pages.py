"""Adding findings on the request page, correcting one, and the owner sharing what sales
already has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import EventKind, Finding, FindingKind, SalesContext, Status
from interviews.workflow import FindingInput

pytestmark = pytest.mark.django_db


def batch(candidate, **rows):
    data = {"findings-key": "form-1"}
    data.update(
        {
            "findings-0-kind": FindingKind.WHY_US,
            "findings-0-statement": "The audit trail won it.",
            "findings-1-kind": FindingKind.DESCRIBE_US,
            "findings-1-statement": "They call us their ledger.",
            "findings-1-quote": "It is our ledger now.",
            "findings-1-speaker": str(candidate.pk),
            "findings-1-quotable": "on",
            "findings-2-kind": FindingKind.OBJECTION,
            "findings-2-statement": "Price worried the CFO.",
        }
    )
    data.update(rows)
    return data


def test_the_marketer_adds_three_findings_on_the_request_page(
    client, completed, marketer, candidate
):
    client.force_login(marketer)
    page = client.get(reverse("request_detail", args=[completed.pk])).content.decode()
    assert "Add findings" in page
    response = client.post(reverse("findings_add", args=[completed.pk]), batch(candidate))
    assert response.status_code == 302
    assert Finding.objects.count() == 3
    quote = Finding.objects.get(kind=FindingKind.DESCRIBE_US)
    assert quote.speaker == candidate and quote.quotable
    page = client.get(reverse("request_detail", args=[completed.pk])).content.decode()
    assert "It is our ledger now." in page and "Findings added" in page
    # The same form sent again (a double click) adds nothing.
    client.post(reverse("findings_add", args=[completed.pk]), batch(candidate))
    assert Finding.objects.count() == 3


def test_a_bad_row_is_shown_with_its_message_and_nothing_is_lost(
    client, completed, marketer, candidate
):
    client.force_login(marketer)
    response = client.post(
        reverse("findings_add", args=[completed.pk]),
        batch(candidate, **{"findings-1-speaker": ""}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say who said this" in page
    # What was typed is still in the form.
    assert "It is our ledger now." in page and "Price worried the CFO." in page
    assert not Finding.objects.exists()


def test_sales_reads_but_cannot_add_or_edit(client, completed, add_findings, sales, candidate):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit trail."))
    client.force_login(sales)
    page = client.get(reverse("request_detail", args=[completed.pk])).content.decode()
    assert "Audit trail." in page and "Add findings" not in page
    assert (
        client.post(reverse("findings_add", args=[completed.pk]), batch(candidate)).status_code
        == 403
    )
    assert client.get(reverse("finding_edit", args=[finding.pk])).status_code == 403
    assert Finding.objects.count() == 1


def test_the_marketer_corrects_a_finding(client, completed, add_findings, marketer):
    (finding,) = add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit trail."))
    client.force_login(marketer)
    assert client.get(reverse("finding_edit", args=[finding.pk])).status_code == 200
    response = client.post(
        reverse("finding_edit", args=[finding.pk]),
        {
            "finding-kind": FindingKind.WHY_US,
            "finding-statement": "The audit log.",
            "finding-quotable": "on",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.statement == "The audit log." and finding.quotable
    page = client.get(reverse("request_detail", args=[completed.pk])).content.decode()
    assert "Finding edited" in page and "Before: Audit trail." in page


def test_the_account_page_shows_its_findings(client, completed, add_findings, sales, account):
    add_findings(FindingInput(kind=FindingKind.WHY_US, statement="Audit trail."))
    client.force_login(sales)
    page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "What we learned" in page and "Audit trail." in page


def test_the_owner_shares_notes_without_changing_the_answer(
    client, clock, file_request, sales, marketer
):
    request = file_request()
    client.force_login(sales)
    page = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "Share with marketing" in page
    response = client.post(
        reverse("sales_context_add", args=[request.pk]),
        {
            "context-excerpt": "CFO said month-end close is their pain.",
            "context-links": "https://crm.example.com/notes/42\nhttps://rec.example.com/call/7",
            "context-comment": "Good relationship.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.AWAITING_OWNER and request.version == 1
    assert request.events.filter(kind=EventKind.CONTEXT_SHARED).exists()

    client.force_login(marketer)
    page = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "CFO said month-end close is their pain." in page
    assert 'href="https://rec.example.com/call/7"' in page
    # Marketing reads it; only the owner's side shares it.
    assert "Share with marketing" not in page
    assert (
        client.post(
            reverse("sales_context_add", args=[request.pk]), {"context-comment": "x"}
        ).status_code
        == 403
    )


def test_a_bad_link_is_explained_and_the_text_kept(client, clock, file_request, sales):
    request = file_request()
    client.force_login(sales)
    response = client.post(
        reverse("sales_context_add", args=[request.pk]),
        {"context-excerpt": "Long note.", "context-links": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a web address" in page and "Long note." in page
    assert not SalesContext.objects.exists()


def test_the_owner_shares_notes_from_the_email_answer_page(client, clock, file_request, sales):
    from interviews import links

    request = file_request()
    token = links.make_token(request, sales)
    page = client.get(reverse("action_link", args=[token, "owner_go_ahead"])).content.decode()
    assert "What you already have" in page
    response = client.post(
        reverse("share_context_link", args=[token]),
        {
            "action": "owner_go_ahead",
            "context-excerpt": "They liked the close dashboard.",
            "context-links": "https://crm.example.com/notes/9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("action_link", args=[token, "owner_go_ahead"])
    shared = SalesContext.objects.get()
    assert shared.author == sales and shared.links == "https://crm.example.com/notes/9"
    request.refresh_from_db()
    # Not an answer: the request still waits for one, and the same link still answers.
    assert request.status == Status.AWAITING_OWNER and request.version == 1
    page = client.get(reverse("action_link", args=[token, "owner_go_ahead"])).content.decode()
    assert "Shared so far: 1 note." in page


def test_a_tampered_link_shares_nothing(client, clock, file_request, sales):
    from interviews import links

    token = links.make_token(file_request(), sales)
    response = client.post(
        reverse("share_context_link", args=[token[:-2] + "xx"]), {"context-comment": "hi"}
    )
    assert response.status_code == 400
    assert not SalesContext.objects.exists()


def test_a_bad_link_from_the_email_page_keeps_the_text(client, clock, file_request, sales):
    from interviews import links

    token = links.make_token(file_request(), sales)
    response = client.post(
        reverse("share_context_link", args=[token]),
        {"action": "defer", "context-excerpt": "Keep me.", "context-links": "not a link"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep me." in page and "is not a web address" in page


def test_what_people_typed_is_shown_as_text_on_every_page_that_lists_findings(
    client, completed, add_findings, marketer, candidate, account
):
    hostile = "<script>alert('x')</script> & “quoted”"
    candidate.name, candidate.title = f"Tanaka {hostile}", f"CTO {hostile}"
    candidate.save()
    account.industry = f"Retail {hostile}"
    account.save()
    add_findings(
        FindingInput(
            kind=FindingKind.WHY_US,
            statement=f"Statement {hostile}",
            quote=f"Quote {hostile}",
            speaker_id=candidate.pk,
            quotable=True,
        )
    )
    client.force_login(marketer)
    for url in (
        reverse("findings"),
        reverse("request_detail", args=[completed.pk]),
        reverse("account_detail", args=[account.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "Statement &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; “quoted”" in page
        assert "Quote &lt;script&gt;" in page and "CTO &lt;script&gt;" in page, url
    library = client.get(reverse("findings")).content.decode()
    assert "Retail &lt;script&gt;" in library
