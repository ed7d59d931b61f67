"""The best hand-written SQL for the unfiltered dashboard's figures (issue 7, item 6).

Three statements compute what the page shows: the per-owner and per-team tables with the
headline (and the funnel, which is the headline's filed → decided → scheduled → completed),
the stalled list (first 50, with how many there are), and the trend with the quarter's
completed interviews and the reasons. Same inputs as the page: the period, the stalled
rules' cutoffs and the company calendar, which Python turns into parameters (the cutoffs,
and the running count of business days per date, so SQL counts business days with a
subtraction). PostgreSQL only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import connection

from interviews import calendar
from interviews.dashboard import Scope, one_snapshot
from interviews.dashboard.figures import COUNTS, after_close
from interviews.dashboard.stalled import DEFERRALS_STALLED, idle_cutoff
from interviews.models import OPEN_STATUSES

# How far back the business-day counts reach (older "since" dates count from there); they
# reach a year past today.
CALENDAR_YEARS = 4

# The answered requests: who answered, when the request reached them (filing, or the
# last reassignment before the answer) and after how many business days.
_ANSWERS = """
answers AS (
    SELECT coalesce((ra.details ->> 'to_owner')::int, r.owner_at_filing_id) AS owner_id,
           r.response_window_days AS window_days,
           (r.outreach_by <> '' OR r.status = 'declined') AS decided,
           greatest(
               (%(answer_days)s::int[])[
                   width_bucket(r.owner_responded_at, %(answer_midnights)s::timestamptz[]) + 1]
               - (%(answer_days)s::int[])[
                   width_bucket(coalesce(ra.created_at, r.created_at) + %(after_close)s,
                                %(answer_midnights)s::timestamptz[])]
               - 1,
               0
           ) AS days
    FROM interviews_interviewrequest r
    LEFT JOIN (
        -- The last reassignment before the answer (a handful of events).
        SELECT DISTINCT ON (e.request_id) e.request_id, e.created_at, e.details
        FROM interviews_requestevent e
        JOIN interviews_interviewrequest q ON q.id = e.request_id
        WHERE e.kind = 'owner_reassigned' AND e.created_at < q.owner_responded_at
        ORDER BY e.request_id, e.created_at DESC, e.id DESC
    ) ra ON ra.request_id = r.id
    WHERE r.created_at >= %(start)s AND r.created_at < %(end)s
      AND r.owner_responded_at IS NOT NULL
)"""

_OVERDUE = """(
    (r.status = 'awaiting_owner' AND r.response_due_at
        <= (%(half)s::timestamptz[])[least((r.response_window_days - 1) / 2, %(half_last)s) + 1])
    OR (r.status IN ('awaiting_owner', 'deferred') AND r.deferral_count >= %(deferrals)s)
    OR (r.status = 'owner_outreach' AND r.status_changed_at <= %(idle)s)
)"""

PEOPLE = f"""
WITH counts AS (
    SELECT r.owner_id,
           count(*) FILTER (WHERE r.status = ANY(%(open)s)) AS open,
           count(*) FILTER (
               WHERE r.status IN ('awaiting_owner', 'deferred', 'owner_outreach')) AS pending,
           count(*) FILTER (WHERE {_OVERDUE}) AS overdue,
           count(*) FILTER (WHERE p.filed) AS filed,
           count(*) FILTER (WHERE p.filed AND (r.outreach_by <> '' OR r.status = 'declined'))
               AS decided,
           count(*) FILTER (WHERE p.filed AND r.id IN (
               SELECT e.request_id FROM interviews_requestevent e
               WHERE e.kind = 'deadline_passed' AND e.created_at >= %(start)s)) AS switched,
           count(*) FILTER (WHERE p.filed AND r.interview_at IS NOT NULL) AS scheduled,
           count(*) FILTER (WHERE p.filed AND r.status = 'completed') AS completed,
           coalesce(sum(r.deferral_count) FILTER (WHERE p.filed), 0) AS deferrals,
           count(*) FILTER (WHERE p.filed AND r.status = 'declined') AS declines
    FROM interviews_interviewrequest r
    CROSS JOIN LATERAL (
        SELECT r.created_at >= %(start)s AND r.created_at < %(end)s AS filed) p
    WHERE r.status = ANY(%(open)s) OR (r.created_at >= %(start)s AND r.created_at < %(end)s)
    GROUP BY r.owner_id
),
{_ANSWERS},
answered AS (
    SELECT owner_id, count(*) AS answered, count(*) FILTER (
               WHERE decided AND days <= window_days) AS within_window,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days
    FROM answers GROUP BY owner_id
),
people AS (
    SELECT coalesce(c.owner_id, a.owner_id) AS owner_id, c.open, c.pending, c.overdue,
           c.filed, c.decided, c.switched, c.scheduled, c.completed, c.deferrals, c.declines,
           a.answered, a.within_window, a.median_days
    FROM counts c FULL JOIN answered a ON a.owner_id = c.owner_id
)
SELECT 'owner' AS level, u.id, coalesce(nullif(u.name, ''), u.email, '—'), m.name,
       coalesce(p.open, 0), coalesce(p.pending, 0), coalesce(p.overdue, 0),
       coalesce(p.filed, 0), coalesce(p.decided, 0), coalesce(p.switched, 0),
       coalesce(p.scheduled, 0), coalesce(p.completed, 0), coalesce(p.deferrals, 0),
       coalesce(p.declines, 0), coalesce(p.answered, 0), coalesce(p.within_window, 0),
       p.median_days
FROM people p
LEFT JOIN accounts_user u ON u.id = p.owner_id
LEFT JOIN accounts_user m ON m.id = u.reports_to_id
UNION ALL
SELECT CASE WHEN grouping(u.reports_to_id) = 1 THEN 'total' ELSE 'team' END,
       u.reports_to_id, NULL, max(m.name),
       sum(c.open), sum(c.pending), sum(c.overdue), sum(c.filed), sum(c.decided),
       sum(c.switched), sum(c.scheduled), sum(c.completed), sum(c.deferrals), sum(c.declines),
       NULL, NULL, NULL
FROM counts c
JOIN accounts_user u ON u.id = c.owner_id
LEFT JOIN accounts_user m ON m.id = u.reports_to_id
GROUP BY GROUPING SETS ((u.reports_to_id), ())
UNION ALL
SELECT CASE WHEN grouping(u.reports_to_id) = 1 THEN 'total answers' ELSE 'team answers' END,
       u.reports_to_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       count(*), count(*) FILTER (WHERE a.decided AND a.days <= a.window_days),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.days)
FROM answers a
LEFT JOIN accounts_user u ON u.id = a.owner_id
GROUP BY GROUPING SETS ((u.reports_to_id), ())
"""  # noqa: S608 (built from the constants above: every value is a parameter)

_RULES = {
    "half_window": """r.status = 'awaiting_owner' AND r.response_due_at
        <= (%(half)s::timestamptz[])[least((r.response_window_days - 1) / 2, %(half_last)s) + 1]""",
    "deferred_again": "r.status IN ('awaiting_owner', 'deferred') "
    "AND r.deferral_count >= %(deferrals)s",
    "owner_outreach_idle": "r.status = 'owner_outreach' AND r.status_changed_at <= %(idle)s",
    "marketing_outreach_idle": "r.status = 'marketing_outreach' "
    "AND r.status_changed_at <= %(idle)s",
    "interview_passed": "r.status = 'scheduled' AND r.interview_at < %(today_start)s",
}
_SINCE = {
    "half_window": "r.window_started_at",
    "deferred_again": "r.created_at",
    "owner_outreach_idle": "r.status_changed_at",
    "marketing_outreach_idle": "r.status_changed_at",
    "interview_passed": "r.interview_at",
}
_FLAGS = ", ".join(f"({q}) AS {key}" for key, q in _RULES.items())
_SINCE_CASE = (
    "coalesce(CASE "
    + " ".join(f"WHEN {_RULES[key]} THEN {_SINCE[key]}" for key in _RULES)
    + " END, r.status_changed_at)"
)

STALLED = f"""
WITH stalled AS (
    SELECT r.id, {_SINCE_CASE} AS since, count(*) OVER () AS total
    FROM interviews_interviewrequest r
    WHERE r.status = ANY(%(open)s) AND ({" OR ".join(f"({q})" for q in _RULES.values())})
    ORDER BY since, r.id
    LIMIT %(limit)s
)
SELECT s.id, s.total, s.since, a.name, r.topic, r.status, o.name, rb.name, {_FLAGS},
       (%(days)s::int[])[(%(today)s - %(first)s) + 2]
       - (%(days)s::int[])[greatest(((s.since AT TIME ZONE %(tz)s)::date - %(first)s) + 2, 1)]
FROM stalled s
JOIN interviews_interviewrequest r ON r.id = s.id
JOIN accounts_account a ON a.id = r.account_id
JOIN accounts_user o ON o.id = r.owner_id
JOIN accounts_user rb ON rb.id = r.requested_by_id
ORDER BY s.since, s.id
"""  # noqa: S608 (built from the constants above: every value is a parameter)

TREND = """
SELECT 'filed', (r.created_at AT TIME ZONE %(tz)s)::date
                - extract(isodow FROM (r.created_at AT TIME ZONE %(tz)s))::int + 1,
       count(*), NULL
FROM interviews_interviewrequest r
WHERE r.created_at >= %(trend_start)s AND r.created_at < %(trend_end)s
GROUP BY 2
UNION ALL
SELECT 'completed', (r.closed_at AT TIME ZONE %(tz)s)::date
                    - extract(isodow FROM (r.closed_at AT TIME ZONE %(tz)s))::int + 1,
       count(*), NULL
FROM interviews_interviewrequest r
WHERE r.status = 'completed' AND r.closed_at >= %(trend_start)s AND r.closed_at < %(trend_end)s
GROUP BY 2
UNION ALL
SELECT 'quarter', NULL, count(*), NULL
FROM interviews_interviewrequest r
WHERE r.status = 'completed'
  AND r.closed_at >= %(quarter_start)s AND r.closed_at < %(quarter_end)s
UNION ALL
SELECT e.kind, NULL, count(*), e.details ->> 'reason_category'
FROM interviews_requestevent e
WHERE e.kind IN ('deferred', 'declined') AND e.created_at >= %(start)s
  AND e.created_at < %(end)s
GROUP BY e.kind, e.details ->> 'reason_category'
"""

STATEMENTS = (PEOPLE, STALLED, TREND)
# The PEOPLE statement's count columns come in the order the page names them.
COUNT_NAMES = COUNTS


def parameters(scope: Scope, *, limit: int = 50, weeks: int = 12) -> dict:
    """What the page works out in Python before querying, for the same scope."""
    today = scope.today
    first = today - dt.timedelta(days=366 * CALENDAR_YEARS)
    running, count = [0], 0  # running[i]: business days in [first, first + i)
    for i in range((today - first).days + 366):  # answers may carry later dates
        count += calendar.is_business_day(first + dt.timedelta(days=i))
        running.append(count)
    longest = max(
        settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS, settings.RESPONSE_WINDOW_BUSINESS_DAYS
    )
    half = [
        calendar.close_of_business(calendar.add_business_days(today, left))
        for left in range((longest - 1) // 2 + 1)
    ]
    tz = calendar.business_tz()
    # The answers' days, placed by a binary search among local midnights (as the page does).
    answer_first = scope.start - dt.timedelta(days=2)
    answer_days = running[(answer_first - first).days :][
        : (max(scope.end, today) - answer_first).days + 33
    ]
    answer_midnights = [
        dt.datetime.combine(answer_first + dt.timedelta(days=i), dt.time(0), tzinfo=tz)
        for i in range(len(answer_days))
    ]
    last_monday = scope.end - dt.timedelta(days=scope.end.weekday())
    trend_start = last_monday - dt.timedelta(weeks=weeks - 1)
    quarter_start, quarter_end = scope.quarter_bounds()
    return {
        "tz": str(tz),
        "start": scope.start_at,
        "end": scope.end_at,
        "open": [str(s) for s in OPEN_STATUSES],
        "days": running,
        "answer_days": answer_days,
        "answer_midnights": answer_midnights,
        "first": first,
        "today": today,
        "today_start": dt.datetime.combine(today, dt.time(0), tzinfo=tz),
        "after_close": after_close(),
        "half": half,
        "half_last": len(half) - 1,
        "deferrals": DEFERRALS_STALLED,
        "idle": idle_cutoff(today),
        "limit": limit,
        "trend_start": dt.datetime.combine(trend_start, dt.time(0), tzinfo=tz),
        "trend_end": dt.datetime.combine(
            last_monday + dt.timedelta(weeks=1), dt.time(0), tzinfo=tz
        ),
        "quarter_start": quarter_start,
        "quarter_end": quarter_end,
    }


@dataclasses.dataclass
class Result:
    people: list[tuple]
    stalled: list[tuple]
    trend: list[tuple]

    def total(self) -> dict:
        """The headline, as the page's `Figures` names it."""
        names = COUNT_NAMES
        counts = next(row for row in self.people if row[0] == "total")
        answers = next(row for row in self.people if row[0] == "total answers")
        quarter = next(row[2] for row in self.trend if row[0] == "quarter")
        figures = {name: int(value or 0) for name, value in zip(names, counts[4:14], strict=True)}
        figures.update(
            answered=answers[14],
            answered_within_window=answers[15],
            median_response_days=answers[16],
            completed_quarter=quarter,
            stalled_count=self.stalled[0][1] if self.stalled else 0,
        )
        return figures


def run(params: dict) -> Result:
    """The three statements, on one cursor, in the same snapshot as the page's queries
    (one read-only transaction, no parallel workers): compared on equal terms."""
    with one_snapshot(), connection.cursor() as cursor:
        rows = []
        for statement in STATEMENTS:
            cursor.execute(statement, params)
            rows.append(cursor.fetchall())
    return Result(*rows)
