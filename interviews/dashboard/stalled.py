"""Stalled requests: the rules, each a filter the database applies.

A rule's time threshold is turned into a cutoff moment in Python (business days, with the
company calendar), and the database compares timestamps against it, so the cost is one
query whatever the number of requests. Rules turn at midnight in the business time zone,
and nothing changes over a weekend or a holiday.

- waiting past half its window: the owner has not answered and fewer than half of the
  agreed window's business days are left before the deadline day;
- deferred two or more times, and still with the owner;
- owner outreach with no progress: the owner said they would ask the customer and nothing
  has happened for 10 business days;
- marketing outreach with no interview scheduled for 10 business days;
- the interview date has passed but the interview is not recorded as completed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from interviews import calendar, dates
from interviews.dashboard.days import BusinessDayIndex, business_dates
from interviews.dashboard.scope import Scope, day_start
from interviews.models import InterviewRequest, Status

STATUS_LABELS = dict(Status.choices)
IDLE_BUSINESS_DAYS = 10
DEFERRALS_STALLED = 2


@dataclasses.dataclass(frozen=True)
class Rule:
    key: str
    label: str  # lazy: rendered in the reader's language
    owner_side: bool  # counts as overdue for the owner in the per-owner table


def _owner_outreach_idle() -> str:
    return ngettext(
        "The owner has reported no progress for %(days)d business day.",
        "The owner has reported no progress for %(days)d business days.",
        IDLE_BUSINESS_DAYS,
    ) % {"days": IDLE_BUSINESS_DAYS}


def _marketing_outreach_idle() -> str:
    return ngettext(
        "No interview has been scheduled for %(days)d business day.",
        "No interview has been scheduled for %(days)d business days.",
        IDLE_BUSINESS_DAYS,
    ) % {"days": IDLE_BUSINESS_DAYS}


def _rules() -> tuple[Rule, ...]:
    # Labels stay lazy: each is rendered in the reader's language (page, CSV, email).
    return (
        Rule("half_window", _("More than half of the owner's window has passed."), True),
        Rule("deferred_again", _("The owner has deferred it two or more times."), True),
        Rule("owner_outreach_idle", lazy(_owner_outreach_idle, str)(), True),
        Rule("marketing_outreach_idle", lazy(_marketing_outreach_idle, str)(), False),
        Rule(
            "interview_passed",
            _("The interview date has passed, but it is not completed."),
            False,
        ),
    )


RULES = _rules()
RULE_KEYS = tuple(rule.key for rule in RULES)
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def _last_business_day(day: dt.date) -> dt.date:
    return day if calendar.is_business_day(day) else calendar.previous_business_day(day)


def idle_cutoff(today: dt.date, business_days: int = IDLE_BUSINESS_DAYS) -> dt.datetime:
    """Something that entered its state at or before this moment has been idle long enough.

    From the start of the `business_days`-th business day after the day it entered the
    state (the next business day if it entered after close of business), like a window.
    """
    return calendar.close_of_business(
        calendar.subtract_business_days(_last_business_day(today), business_days)
    )


def _half_window_q(today: dt.date) -> Q:
    """Fewer than half of the agreed window's business days left before the deadline day.

    With N days agreed, that is when at most ceil(N/2) - 1 = (N - 1) // 2 business days
    remain after today; the deadline itself may have moved (a manager extended it). The
    cutoff for each window length is one CASE; the latest cutoff alone bounds them all, so
    an index can find the candidates in one range.
    """
    longest = max(
        settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS, settings.RESPONSE_WINDOW_BUSINESS_DAYS
    )
    cutoffs = [
        calendar.close_of_business(calendar.add_business_days(today, left))
        for left in range((longest - 1) // 2 + 1)
    ]
    # Windows of 2k + 1 and 2k + 2 days have k business days left at their cutoff.
    cutoff = Case(
        *(
            When(response_window_days__lte=2 * left + 2, then=Value(moment))
            for left, moment in enumerate(cutoffs[:-1])
        ),
        default=Value(cutoffs[-1]),
        output_field=DateTimeField(),
    )
    return Q(
        status=Status.AWAITING_OWNER,
        response_window_days__gte=1,
        response_due_at__lte=cutoffs[-1],
    ) & Q(response_due_at__lte=cutoff)


def rule_filters(now: dt.datetime) -> dict[str, Q]:
    """Each rule as a filter on InterviewRequest, at `now`."""
    today = calendar.business_date(now)
    idle = idle_cutoff(today)
    return {
        "half_window": _half_window_q(today),
        "deferred_again": Q(
            status__in=(Status.AWAITING_OWNER, Status.DEFERRED),
            deferral_count__gte=DEFERRALS_STALLED,
        ),
        "owner_outreach_idle": Q(status=Status.OWNER_OUTREACH, status_changed_at__lte=idle),
        "marketing_outreach_idle": Q(status=Status.MARKETING_OUTREACH, status_changed_at__lte=idle),
        "interview_passed": Q(status=Status.SCHEDULED, interview_at__lt=day_start(today)),
    }


def any_rule_q(now: dt.datetime) -> Q:
    return reduce(or_, rule_filters(now).values())


def owner_side_q(now: dt.datetime) -> Q:
    """Stalled with the owner: what the per-owner table calls overdue."""
    filters = rule_filters(now)
    return reduce(or_, (filters[rule.key] for rule in RULES if rule.owner_side))


# When each rule's clock started: how long the request has been stuck that way.
_SINCE_FIELD = {
    "half_window": "window_started_at",  # the owner has had it since
    "deferred_again": "created_at",  # deferred again and again since it was filed
    "owner_outreach_idle": "status_changed_at",
    "marketing_outreach_idle": "status_changed_at",
    "interview_passed": "interview_at",
}

SORTS = {
    "since": ("stalled_since", "pk"),
    "-since": ("-stalled_since", "-pk"),
    "account": ("account__name", "pk"),
    "-account": ("-account__name", "-pk"),
    "owner": ("owner__name", "stalled_since", "pk"),
    "-owner": ("-owner__name", "stalled_since", "pk"),
    "reason": ("stalled_rule", "stalled_since", "pk"),
    "-reason": ("-stalled_rule", "stalled_since", "pk"),
}
DEFAULT_SORT = "since"


def stalled_requests(
    scope: Scope, sort: str = DEFAULT_SORT, *, related: bool = True
) -> QuerySet[InterviewRequest]:
    """Stalled requests in scope, each annotated with which rules hold and since when.

    `stalled_rule` is the first rule that holds (in the order above) and `stalled_since`
    when its clock started; `rule_<key>` says whether each rule holds.
    """
    filters = rule_filters(scope.now)
    flags = {
        f"rule_{key}": ExpressionWrapper(q, output_field=BooleanField())
        for key, q in filters.items()
    }
    qs = InterviewRequest.objects.filter(scope.requests_q()).filter(reduce(or_, filters.values()))
    if related:
        qs = qs.select_related("account", "owner", "requested_by")
    return qs.annotate(
        **flags,
        stalled_rule=Case(
            *(When(filters[key], then=Value(i)) for i, key in enumerate(RULE_KEYS)),
            output_field=IntegerField(),
        ),
        stalled_since=Coalesce(
            Case(
                *(When(filters[key], then=F(_SINCE_FIELD[key])) for key in RULE_KEYS),
                output_field=DateTimeField(),
            ),
            F("status_changed_at"),
        ),
    ).order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


# What the stalled list shows of each request (the dashboard page and the weekly digest).
SHOWN_FIELDS = ("topic", "status", "account__name", "owner__name")


def stalled_page(
    scope: Scope, sort: str = DEFAULT_SORT, *, limit: int
) -> tuple[list[InterviewRequest], int]:
    """The first `limit` stalled requests and how many there are (two queries).

    The first query sorts every stalled request but reads only what sorting needs, and
    counts them all in the same pass; the second reads the rows shown, with what they show.
    """
    flags = [f"rule_{key}" for key in RULE_KEYS]
    head = list(
        stalled_requests(scope, sort, related=False)
        .annotate(stalled_total=Window(Count("pk")))
        .values_list("pk", "stalled_total", "stalled_rule", "stalled_since", *flags)[:limit]
    )
    if not head:
        return [], 0
    # The rows shown, by primary key, with what the list shows of them (the page and the
    # digest): what the first query found about them is set on them.
    rows = (
        InterviewRequest.objects.select_related("account", "owner")
        .only(*SHOWN_FIELDS)
        .in_bulk([row[0] for row in head])
    )
    shown = []
    for pk, _total, rule, since, *holds in head:
        request = rows.get(pk)
        if request is None:  # deleted in between
            continue
        request.stalled_rule, request.stalled_since = rule, since
        for name, value in zip(flags, holds, strict=True):
            setattr(request, name, bool(value))
        shown.append(request)
    return shown, head[0][1]


@dataclasses.dataclass
class StalledRow:
    request: InterviewRequest
    rules: list[Rule]
    since: dt.datetime
    business_days: int  # how long it has been stuck, in business days

    @property
    def reason(self) -> Rule:
        return self.rules[0]

    @property
    def for_how_long(self) -> str:
        """ "3 business days", in the reader's language (the same words as the digest's)."""
        return ngettext("%(days)s business day", "%(days)s business days", self.business_days) % {
            "days": self.business_days
        }

    @property
    def since_label(self) -> str:
        """ "since 20 Nov 2026", in the reader's language and time zone (built here rather
        than in the template: fifty of them were a sixth of the page's rendering)."""
        return gettext("since %(date)s") % {"date": dates.day(self.since)}

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.request.status, self.request.status))


def stalled_rows(requests: list[InterviewRequest], now: dt.datetime) -> list[StalledRow]:
    """The fetched requests with their reasons and how long, in business days."""
    today = calendar.business_date(now)
    index = BusinessDayIndex.covering([today, *business_dates(r.stalled_since for r in requests)])
    tz = calendar.business_tz()
    rows = []
    for request in requests:
        since_day = request.stalled_since.astimezone(tz).date()
        rows.append(
            StalledRow(
                request=request,
                rules=[rule for rule in RULES if getattr(request, f"rule_{rule.key}")],
                since=request.stalled_since,
                business_days=index.between(since_day, today) if since_day <= today else 0,
            )
        )
    return rows
