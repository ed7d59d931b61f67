"""A small hand-built dataset whose every figure is known (see test_figures.py).

The clock stands on Monday 30 Nov 2026, 10:00 Tokyo. Everything happened through the
workflow, at times given in business days before today (`at(-3, 15)` = three business
days ago at 15:00), so the events, the first answers and the deadlines are the real ones.

Teams: Mori (manager) has Sato (sales) and Chika (CS); Moto (manager) has Suzu (sales).

| req | owner | story | stalled |
| --- | --- | --- | --- |
| r1 | Sato | go ahead after 1 business day | |
| r2 | Sato | "I'll ask" after 3 | |
| r3 | Sato | filed 4 days ago, no answer (window 5) | past half the window |
| r4 | Chika | deferred after 1 (customer busy), woke, deferred again (bad timing) | twice |
| r5 | Chika | no answer, switched when the deadline passed, 11 days ago | marketing idle |
| r6 | Sato | declined the same day (open issue) | |
| r7 | Sato | go ahead after 2, interview 2 days ago, not completed | interview passed |
| r8 | Sato | go ahead after 1, interviewed, completed (this quarter) | |
| r9 | Suzu | filed 5 days ago, due tonight | past half the window |
| r10 | Chika | filed before the period, go ahead, nothing since | marketing idle |
| r11 | Suzu → Sato | a manager reassigned it to Sato, who said go ahead 2 days later | |
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.models import Department
from interviews import calendar, workflow
from interviews.models import InterviewRequest, Purpose, ReasonCategory
from tests.factories import AccountFactory, CandidateFactory, UserFactory

TODAY = dt.date(2026, 11, 30)


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """`days` business days from today (negative: before), at hour:minute in Tokyo."""
    day = (
        calendar.subtract_business_days(TODAY, -days)
        if days < 0
        else calendar.add_business_days(TODAY, days)
    )
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.business_tz())


@pytest.fixture
def team(manager, sales, cs):
    """Mori's team (Sato, Chika) and Moto's (Suzu)."""
    sales.reports_to = manager
    sales.save()
    cs.reports_to = manager
    cs.save()
    other_manager = UserFactory(
        email="moto@example.com", name="Moto Manager", department=Department.SALES, is_manager=True
    )
    suzu = UserFactory(
        email="suzu@example.com",
        name="Suzu Sales",
        department=Department.SALES,
        reports_to=other_manager,
    )
    return SimpleNamespace(manager=manager, sato=sales, chika=cs, moto=other_manager, suzu=suzu)


@pytest.fixture
def dataset(clock, team, marketer):
    t = team
    requests: dict[str, InterviewRequest] = {}

    def file(key: str, owner, when: dt.datetime, purpose=Purpose.CASE_STUDY) -> int:
        account = AccountFactory(name=f"Account {key}", owner=owner)
        request = workflow.request_file(
            by=marketer,
            account=account,
            candidates=[CandidateFactory(account=account)],
            purpose=purpose,
            topic=f"Topic {key}",
            questions="Why us?",
            now=when,
        )
        requests[key] = request
        return request.pk

    r1 = file("r1", t.sato, at(-8, 10))
    workflow.request_owner_go_ahead(request_id=r1, by=t.sato, now=at(-7, 10))

    r2 = file("r2", t.sato, at(-6, 10), purpose=Purpose.RESEARCH)
    workflow.request_owner_will_reach_out(request_id=r2, by=t.sato, now=at(-3, 15))

    file("r3", t.sato, at(-4, 10))

    r4 = file("r4", t.chika, at(-20, 10))
    workflow.request_defer(
        request_id=r4,
        by=t.chika,
        until=at(-15, 9).date(),
        reason_category=ReasonCategory.CUSTOMER_BUSY,
        reason="Renewal talks.",
        now=at(-19, 11),
    )
    workflow.request_wake(request_id=r4, now=at(-15, 9, 1))
    workflow.request_defer(
        request_id=r4,
        by=t.chika,
        until=TODAY + dt.timedelta(days=5),
        reason_category=ReasonCategory.BAD_TIMING,
        reason="Year-end.",
        now=at(-14, 10),
    )

    r5 = file("r5", t.chika, at(-16, 10))
    due = InterviewRequest.objects.get(pk=r5).response_due_at
    workflow.request_switch_overdue(request_id=r5, now=due + dt.timedelta(minutes=1))

    r6 = file("r6", t.sato, at(-12, 10))
    workflow.request_decline(
        request_id=r6,
        by=t.sato,
        reason_category=ReasonCategory.OPEN_ISSUE,
        reason="Open escalation.",
        now=at(-12, 15),
    )

    r7 = file("r7", t.sato, at(-14, 10), purpose=Purpose.TESTIMONIAL)
    workflow.request_owner_go_ahead(request_id=r7, by=t.sato, now=at(-12, 10))
    workflow.request_schedule(request_id=r7, by=marketer, interview_at=at(-2, 14), now=at(-10, 10))

    r8 = file("r8", t.sato, at(-30, 10))
    workflow.request_owner_go_ahead(request_id=r8, by=t.sato, now=at(-29, 10))
    workflow.request_schedule(request_id=r8, by=marketer, interview_at=at(-20, 14), now=at(-27, 10))
    workflow.request_complete(
        request_id=r8, by=marketer, outcome_summary="Great story.", now=at(-18, 10)
    )

    file("r9", t.suzu, at(-5, 10))

    r10 = file("r10", t.chika, at(-70, 10))
    workflow.request_owner_go_ahead(request_id=r10, by=t.chika, now=at(-69, 10))

    r11 = file("r11", t.suzu, at(-9, 10))
    workflow.request_reassign_owner(
        request_id=r11, by=t.manager, new_owner=t.sato, reason="Suzu is away.", now=at(-7, 11)
    )
    workflow.request_owner_go_ahead(request_id=r11, by=t.sato, now=at(-5, 10))

    for request in requests.values():
        request.refresh_from_db()
    return SimpleNamespace(**vars(t), marketer=marketer, requests=requests)
