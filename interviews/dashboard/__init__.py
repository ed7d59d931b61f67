"""The managers' dashboard and weekly digest: read-side queries, aggregated in the database.

Every figure is computed by a fixed number of queries whatever the amount of data: the
page costs the same with a hundred requests or a hundred thousand (see
`tests/dashboard/test_queries.py`). Modules by concern:

- `scope`: which requests (team, owner, purpose), which period, at what time;
- `stalled`: the stalled rules as filters, the stalled list;
- `figures`: the headline, per owner and per team;
- `reasons`: why owners defer and decline;
- `trend`: filed and completed per week, and the funnel.
"""

from __future__ import annotations

import dataclasses

from interviews.dashboard import stalled as stalled_module
from interviews.dashboard.figures import Figures, PersonRow, Tables, tables
from interviews.dashboard.reasons import ReasonCount, reason_counts
from interviews.dashboard.scope import Scope, team_members, team_scoping_enabled
from interviews.dashboard.snapshot import one_snapshot
from interviews.dashboard.stalled import (
    DEFAULT_SORT,
    RULES,
    SORTS,
    StalledRow,
    stalled_page,
    stalled_requests,
    stalled_rows,
)
from interviews.dashboard.trend import Stage, Week, funnel, trend

# The page lists this many stalled requests and owners; the CSV has them all.
STALLED_ON_PAGE = 50
OWNERS_ON_PAGE = 25


@dataclasses.dataclass
class Dashboard:
    scope: Scope
    total: Figures
    stalled: list[StalledRow]
    stalled_count: int
    owners: list[PersonRow]
    teams: list[PersonRow]
    reasons: list[ReasonCount]
    trend: list[Week]
    funnel: list[Stage]

    @property
    def owners_shown(self) -> list[PersonRow]:
        """The owners who most need a conversation first; the CSV lists everyone."""
        return self.owners[:OWNERS_ON_PAGE]


def build(
    scope: Scope, *, sort: str = DEFAULT_SORT, stalled_limit: int = STALLED_ON_PAGE
) -> Dashboard:
    """Everything the page shows, in nine queries, all as of one moment."""
    with one_snapshot():
        shown, count = stalled_page(scope, sort, limit=stalled_limit)
        weekly = trend(scope)
        people = tables(scope, completed_quarter=weekly.completed_quarter)
        reasons = reason_counts(scope)
    return Dashboard(
        scope=scope,
        total=people.total,
        stalled=stalled_rows(shown, scope.now),
        stalled_count=count,
        owners=people.owners,
        teams=people.teams,
        reasons=reasons,
        trend=weekly.weeks,
        funnel=funnel(people.total),
    )


__all__ = [
    "DEFAULT_SORT",
    "OWNERS_ON_PAGE",
    "RULES",
    "SORTS",
    "STALLED_ON_PAGE",
    "Dashboard",
    "Figures",
    "PersonRow",
    "ReasonCount",
    "Scope",
    "Stage",
    "StalledRow",
    "Tables",
    "Week",
    "build",
    "one_snapshot",
    "reason_counts",
    "stalled_module",
    "stalled_page",
    "stalled_requests",
    "stalled_rows",
    "tables",
    "team_members",
    "team_scoping_enabled",
    "trend",
]
