"""Answering from the email: links taken out of emails actually sent.

GET never changes anything (mail scanners open every link); POST decides once; reused,
tampered, expired and out-of-date links say what happened and change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from interviews import jobs, links, workflow
from interviews.models import EventKind, InterviewRequest, NotificationKind, ReasonCategory, Status
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(
    r"https?://[^/\s]+(/r/[^/\s]+/(owner_will_reach_out|owner_go_ahead|defer|decline)/)"
)


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def links_in(message) -> dict[str, str]:
    """The answer links of an email, as paths, by action."""
    found = {action: path for path, action in LINK.findall(message.body)}
    html = message.alternatives[0].content
    assert all(path in html for path in found.values()), "the HTML buttons carry the same links"
    return found


def sent_to(address: str, kind: str):
    return [
        m
        for m in mail.outbox
        if address in m.to and m.extra_headers["X-Interview-Relay-Kind"] == kind
    ]


@pytest.fixture
def emailed(clock, file_request, sales):
    """A filed request and the answer links from the email its owner received."""
    request = file_request()
    jobs.process_deadlines()
    (message,) = sent_to(sales.email, NotificationKind.NEW_REQUEST)
    found = links_in(message)
    assert set(found) == {"owner_will_reach_out", "owner_go_ahead", "defer", "decline"}
    mail.outbox.clear()
    return request, found


def state(request) -> tuple[str, int, int]:
    request.refresh_from_db()
    return request.status, request.version, request.events.count()


def test_opening_every_link_changes_nothing(client, emailed):
    request, found = emailed
    before = state(request)
    for action, path in found.items():
        page = client.get(path)
        assert page.status_code == 200, action
        assert b"csrfmiddlewaretoken" in page.content
        assert client.head(path).status_code == 200
    assert state(request) == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("action", "question"), [("defer", "Why not now?"), ("decline", "Why decline?")]
)
def test_reasons_are_one_labelled_group_of_choices(client, emailed, action, question):
    """Screen readers announce the question with each choice: a fieldset and its legend."""
    _request, found = emailed
    page = client.get(found[action]).content.decode()
    # A required choice is marked so before anyone submits (the mark is not read out).
    legend = f'<legend>{question}<span class="required-mark" aria-hidden="true">*</span></legend>'
    group = page.split(legend)[1].split("</fieldset>")[0]
    assert page.count("<fieldset") == 1
    assert group.count('type="radio" name="reason_category"') == len(ReasonCategory.choices)


def test_go_ahead_decides_once_and_tells_the_marketer(client, emailed, marketer):
    request, found = emailed
    response = client.post(found["owner_go_ahead"], {"note": "They love us, go."})
    assert response.status_code == 302 and response["Location"] == found["owner_go_ahead"]
    confirmation = client.get(found["owner_go_ahead"]).content.decode()
    assert "Your answer is recorded" in confirmation
    assert "Thank you" in confirmation
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH
    assert request.events.get(kind=EventKind.OWNER_GO_AHEAD).details["note"] == "They love us, go."
    jobs.process_deadlines()
    (decided,) = sent_to(marketer.email, NotificationKind.DECIDED)
    assert "They love us, go." in decided.body

    # The same link again, or another answer from the same email: nothing more happens.
    before = state(request)
    again = client.post(found["owner_go_ahead"], {"note": "twice"})
    assert again.status_code == 200 and "Your answer is recorded" in again.content.decode()
    other = client.post(found["decline"], {"reason_category": "other", "reason": "changed mind"})
    assert other.status_code == 200 and "Your answer is recorded" in other.content.decode()
    assert state(request) == before


def test_defer_from_the_link_with_a_date_and_reason(client, emailed):
    request, found = emailed
    form = client.get(found["defer"]).content.decode()
    assert 'type="date"' in form and 'min="2026-12-01"' in form and 'max="2026-12-30"' in form

    bad = client.post(
        found["defer"], {"until": "2027-03-01", "reason_category": "bad_timing", "reason": "Busy"}
    )
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "2026-12-01" in page and "2026-12-30" in page  # the allowed range is explained
    assert "Busy</textarea>" in page  # what was typed is kept
    assert state(request)[0] == Status.AWAITING_OWNER

    ok = client.post(
        found["defer"],
        {"until": "2026-12-15", "reason_category": "customer_busy", "reason": "Year end"},
    )
    assert ok.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.DEFERRED and request.deferred_until == dt.date(2026, 12, 15)
    timeline = client.get(found["defer"]).content.decode()
    assert "Year end" in timeline


def test_decline_can_pause_the_account(client, emailed, account):
    request, found = emailed
    response = client.post(
        found["decline"],
        {
            "reason_category": "open_issue",
            "reason": "Escalation open",
            "pause_account_until": "2027-02-01",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.sensitive_until == dt.date(2027, 2, 1)
    assert account.sensitive_reason == "Escalation open"
    assert state(request)[0] == Status.DECLINED


def test_a_tampered_link_changes_nothing(client, emailed):
    request, found = emailed
    path = found["owner_go_ahead"]
    token = path.split("/")[2]
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    tampered = path.replace(token, flipped)
    before = state(request)
    assert client.get(tampered).status_code == 400
    response = client.post(tampered, {})
    assert response.status_code == 400
    assert "does not work" in response.content.decode()
    assert "Acme" not in response.content.decode()  # nothing about the request leaks
    assert state(request) == before


def test_an_expired_link_says_only_who_to_ask(client, clock, emailed, settings, marketer):
    settings.ACTION_LINK_MAX_AGE_DAYS = 30
    request, found = emailed
    workflow.comment_add(request_id=request.pk, by=marketer, body="Budget cut: hold")
    clock.shift(dt.timedelta(days=31))
    for response in (client.get(found["owner_go_ahead"]), client.post(found["defer"], {})):
        page = response.content.decode()
        assert response.status_code == 410 and "expired" in page
        assert "no-store" in response["Cache-Control"]  # a 410 is cacheable by default
        # Who filed it, and a way in; nothing about the request as it is now.
        assert "Mai Marketer" in page and "mailto:marketer@example.com" in page
        assert 'href="/login/"' in page
        for secret in ("Acme KK", "Why Acme", "Tanaka", "Budget cut", "The request is now"):
            assert secret not in page, secret


def test_a_link_used_after_the_switch_says_the_request_moved_on(client, clock, emailed):
    request, found = emailed
    clock.move_to(tokyo(2026, 12, 8, 9, 0))
    jobs.process_deadlines()
    before = state(request)
    response = client.post(found["owner_will_reach_out"], {})
    page = response.content.decode()
    assert response.status_code == 409
    assert "moved on" in page and "Marketing is contacting the customer" in page
    assert "It is still waiting for your answer" not in page
    assert state(request) == before


def test_after_an_extension_the_old_link_offers_fresh_ones(client, emailed, manager):
    request, found = emailed
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=2, reason="Trip"
    )
    stale = client.get(found["owner_go_ahead"])
    assert stale.status_code == 409
    fresh = re.findall(r'href="(/r/[^"]+/owner_go_ahead/)"', stale.content.decode())
    assert fresh and fresh[0] != found["owner_go_ahead"]
    assert client.post(fresh[0], {}).status_code == 302
    assert state(request)[0] == Status.MARKETING_OUTREACH


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_old_owners_link_after_reassignment(client, emailed, manager, cs, method):
    request, found = emailed
    reason = "Sato is leaving the company at month end"
    workflow.request_reassign_owner(request_id=request.pk, by=manager, new_owner=cs, reason=reason)
    response = getattr(client, method)(found["owner_go_ahead"], {})
    page = response.content.decode()
    assert response.status_code == 409
    assert "passed on" in page and "mailto:marketer@example.com" in page
    # Not the hand-over's reason, not who has it now, not the request as it is now.
    for secret in (reason, "Chika CS", "Acme KK", "Why Acme", "The request is now"):
        assert secret not in page, secret
    assert state(request)[0] == Status.AWAITING_OWNER


def test_the_answer_form_needs_csrf(emailed):
    request, found = emailed
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(found["owner_go_ahead"], {}).status_code == 403
    assert state(request)[0] == Status.AWAITING_OWNER


def test_an_unknown_action_in_the_url_is_not_found(client, emailed):
    _, found = emailed
    assert client.get(found["defer"].replace("/defer/", "/delete/")).status_code == 404


def test_one_grouped_reminder_lists_three_requests_with_their_links(clock, marketer, sales):
    for name in ("Alpha", "Beta", "Gamma"):
        account = AccountFactory(owner=sales, name=name)
        workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose="research",
            topic=f"{name} topic",
            questions="Why?",
        )
    jobs.process_deadlines()
    mail.outbox.clear()
    clock.move_to(tokyo(2026, 12, 3, 9, 0))
    jobs.process_deadlines()
    (reminder,) = sent_to(sales.email, NotificationKind.REMINDER)
    assert "3" in reminder.subject
    for name in ("Alpha", "Beta", "Gamma"):
        assert f"{name} topic" in reminder.body
    paths = LINK.findall(reminder.body)
    assert len(paths) == 12
    assert len({p.split("/")[2] for p, _ in paths}) == 3  # one token per request


def test_the_owners_answer_is_reflected_in_the_links_of_a_later_reminder(
    client, clock, emailed, sales, manager
):
    request, _found = emailed
    workflow.request_extend_deadline(
        request_id=request.pk, by=manager, extra_business_days=1, reason="x"
    )
    clock.move_to(tokyo(2026, 12, 4, 9, 0))
    jobs.process_deadlines()
    (reminder,) = sent_to(sales.email, NotificationKind.REMINDER)
    current = {action: path for path, action in LINK.findall(reminder.body)}
    assert client.post(current["owner_go_ahead"], {}).status_code == 302
    assert InterviewRequest.objects.get(pk=request.pk).status == Status.MARKETING_OUTREACH


def test_the_go_ahead_tells_the_marketer_whom_to_contact(client, emailed, marketer, candidate):
    _, found = emailed
    client.post(found["owner_go_ahead"], {})
    jobs.process_deadlines()
    (decided,) = sent_to(marketer.email, NotificationKind.DECIDED)
    assert f"{candidate.name} ({candidate.title}) <{candidate.email}>" in decided.body


def test_a_link_signed_with_our_key_but_an_infinite_number_is_malformed(client, sales):
    """Only someone with the secret key can make one; still a 400 page, not a 500."""
    token = signing.dumps({"r": float("inf"), "u": sales.pk, "v": 1}, salt=links.SALT)
    response = client.get(reverse("action_link", args=[token, "defer"]))
    assert response.status_code == 400
    assert links.read_expired_token(token) is None
