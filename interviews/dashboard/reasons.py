"""Why requests stall: the reasons owners gave for deferring and declining in the period."""

from __future__ import annotations

import dataclasses

from django.db.models import Count
from django.db.models.fields.json import KT

from interviews.dashboard.scope import Scope
from interviews.models import EventKind, ReasonCategory, RequestEvent


@dataclasses.dataclass(frozen=True)
class ReasonCount:
    category: str
    label: str
    deferred: int
    declined: int

    @property
    def total(self) -> int:
        return self.deferred + self.declined


def reason_counts(scope: Scope) -> list[ReasonCount]:
    """Every reason category with how often it was given in the period (one query).

    Counted by when the owner answered, for the requests in scope; categories nobody
    used are kept (with zeros) so the chart and the table always read the same way.
    """
    counts = {
        (row["kind"], row["category"]): row["n"]
        for row in RequestEvent.objects.filter(
            scope.requests_q(prefix="request__"),
            kind__in=(EventKind.DEFERRED, EventKind.DECLINED),
            created_at__gte=scope.start_at,
            created_at__lt=scope.end_at,
        )
        .values("kind", category=KT("details__reason_category"))
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = [
        ReasonCount(
            category=value,
            label=str(label),
            deferred=counts.get((EventKind.DEFERRED.value, value), 0),
            declined=counts.get((EventKind.DECLINED.value, value), 0),
        )
        for value, label in ReasonCategory.choices
    ]
    # Events from before categories existed, or with an unknown one, count as "other".
    known = set(ReasonCategory.values)
    stray = {
        kind: sum(n for (k, category), n in counts.items() if k == kind and category not in known)
        for kind in (EventKind.DEFERRED.value, EventKind.DECLINED.value)
    }
    if any(stray.values()):
        rows = [
            dataclasses.replace(
                row,
                deferred=row.deferred + stray[EventKind.DEFERRED.value],
                declined=row.declined + stray[EventKind.DECLINED.value],
            )
            if row.category == ReasonCategory.OTHER
            else row
            for row in rows
        ]
    return rows
