"""A journey that makes the app send every kind of email, for the email tests and the
browser test that looks at them."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from interviews import jobs, workflow
from interviews.notifications import digest, outbox
from tests.conftest import TOKYO
from tests.factories import AccountFactory, CandidateFactory


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def _sending(step):
    """Run a step, then send what it queued, as the on-commit task does in production."""

    def run(*args, **kwargs):
        result = step(*args, **kwargs)
        outbox.send_pending()
        return result

    return run


def send_every_kind(language, *, clock, file_request, marketer, sales, cs, manager) -> list:
    """Drive requests through every transition, people reading in `language`; returns the
    emails actually sent (the weekly digest last)."""
    for person in (marketer, sales, cs, manager):
        person.language = language
        person.save()
    w = type(
        "W",
        (),
        {name: staticmethod(_sending(getattr(workflow, name))) for name in workflow.__all__},
    )
    file = _sending(file_request)

    r1 = file()
    w.request_owner_go_ahead(request_id=r1.pk, by=sales, note="Tanaka-san prefers mornings.")
    w.request_schedule(
        request_id=r1.pk, by=marketer, interview_at=tokyo(2026, 12, 9, 14, 0), location="Zoom"
    )
    w.request_complete(
        request_id=r1.pk,
        by=marketer,
        outcome_summary="Close went from 9 days to 3.",
        published_url="https://example.com/s",
        now=tokyo(2026, 12, 9, 16, 0),  # after the interview: not before, the workflow says
    )
    speaker = r1.candidates.first()
    w.findings_add(
        request_id=r1.pk,
        by=marketer,
        items=[
            workflow.FindingInput(kind="why_us", statement="The audit trail won the deal."),
            workflow.FindingInput(
                kind="describe_us",
                statement="They call us their ledger.",
                quote="It is simply our ledger now.",
                speaker_id=speaker.pk,
                quotable=True,
            ),
            workflow.FindingInput(kind="objection", statement="Price worried the CFO."),
        ],
    )

    def new_account(name):
        account = AccountFactory(owner=sales, name=name)
        return {"account": account, "candidates": [CandidateFactory(account=account)]}

    r2 = file(**new_account("Beta & Sons"))
    w.request_defer(
        request_id=r2.pk,
        by=sales,
        until=dt.date(2026, 12, 3),
        reason_category="customer_busy",
        reason="Busy",
    )
    r3 = file(**new_account("Gamma"))
    w.request_extend_deadline(request_id=r3.pk, by=manager, extra_business_days=1, reason="Trip")
    w.request_reassign_owner(request_id=r3.pk, by=manager, new_owner=cs, reason="Sato on leave")
    w.request_owner_will_reach_out(request_id=r3.pk, by=cs)
    w.request_customer_declined(request_id=r3.pk, by=cs, reason="Busy year")
    r4 = file(**new_account("Delta"))
    w.request_cancel(request_id=r4.pk, by=marketer, reason="Campaign dropped")
    r5 = file(**new_account("Epsilon"))
    w.request_force_switch(request_id=r5.pk, by=manager, reason="Launch")
    w.account_owner_changed(account_id=r5.account_id, new_owner=cs, by=manager, reason="CRM update")
    r6 = file(**new_account("Zeta"))
    w.request_edit(
        request_id=r6.pk,
        by=marketer,
        purpose=r6.purpose,
        topic="Zeta: a sharper angle",
        questions=r6.questions,
        candidates=list(r6.candidates.all()),
    )
    w.comment_add(request_id=r6.pk, by=marketer, body="Could you introduce us to their CFO too?")
    r7 = file(**new_account("Eta"))
    # The owner is travelling: their manager answers for them.
    w.request_owner_go_ahead(request_id=r7.pk, by=manager, note="Sato is away; go ahead.")
    file(**new_account("Theta"))  # waits with the others: the reminder groups them
    clock.move_to(tokyo(2026, 12, 3, 9, 0))  # r2 wakes, reminders for the others
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 22, 9, 0))  # everything still waiting switches
    jobs.process_deadlines()
    clock.move_to(tokyo(2026, 12, 28, 9, 0))  # Monday: the managers' digest
    digest.send_weekly_digest()
    outbox.send_pending()
    return list(mail.outbox)


def kind_of(message) -> str:
    return message.extra_headers["X-Interview-Relay-Kind"]


def html_of(message) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content
