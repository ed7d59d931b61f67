"""Business-day arithmetic for many rows at once, and the median.

`calendar` answers one question at a time by walking day by day; the dashboard needs the
same answers for every response in a period. `BusinessDayIndex` counts the business days
of a date range once (weekends, holidays and closed days, exactly as `calendar` decides
them), after which each answer is a subtraction.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.utils import timezone

from interviews import calendar


class BusinessDayIndex:
    """Counts of business days over [first, last], answered in constant time per row."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        # One spare day on each side, for "the day after" lookups at the edges.
        self.first = first - dt.timedelta(days=1)
        days = (last - self.first).days + 2
        self._before = [0] * (days + 1)  # business days in [self.first, self.first + i)
        for i in range(days):
            day = self.first + dt.timedelta(days=i)
            self._before[i + 1] = self._before[i] + calendar.is_business_day(day)

    @classmethod
    def covering(cls, days: Iterable[dt.date]) -> BusinessDayIndex:
        days = list(days)
        if not days:
            today = calendar.business_date()
            return cls(today, today)
        return cls(min(days), max(days))

    def running_counts(self) -> list[int]:
        """Business days before `first + i`, for i from 0: what SQL looks up by date."""
        return list(self._before)

    def _count_before(self, day: dt.date) -> int:
        return self._before[(day - self.first).days]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Business days in (start, end], as `calendar.business_days_between` (end ≥ start)."""
        return self._count_before(end + dt.timedelta(days=1)) - self._count_before(
            start + dt.timedelta(days=1)
        )

    def elapsed(self, since: dt.datetime, until: dt.datetime) -> int:
        """Whole business days from the moment something reached someone to an answer.

        Counted like a response window (`calendar.deadline_after`): from the effective
        start day (the next business day when it arrived after close of business or on a
        closed day) to the day of the answer. The same day is 0; never negative.
        """
        tz = calendar.business_tz()
        local = timezone.localtime(since, tz)
        start = local.date()
        if local.time() >= settings.CLOSE_OF_BUSINESS:
            start += dt.timedelta(days=1)
        return self.elapsed_days(start, timezone.localtime(until, tz).date())

    def elapsed_days(self, start: dt.date, end: dt.date) -> int:
        """`elapsed` from dates: `start` is the arrival day, already moved to the next day
        for an arrival after close of business.

        The window starts on the first business day on or after `start` and that day
        itself is not counted: business days in [start, end] minus one, never negative.
        """
        count = self._count_before(end + dt.timedelta(days=1)) - self._count_before(start) - 1
        return max(count, 0)


def business_dates(moments: Iterable[dt.datetime | None]) -> list[dt.date]:
    tz = calendar.business_tz()
    return [timezone.localtime(m, tz).date() for m in moments if m is not None]


def median(values: Sequence[float]) -> float | None:
    """The exact median (the mean of the two middle values for an even count)."""
    return statistics.median(values) if values else None


def median_of_counts(counts: Mapping[int, int]) -> float | None:
    """The exact median of values given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # positions of the middle value(s), 0-based
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return (found[0] + found[1]) / 2 if found[0] != found[1] else found[0]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
