"""Business days: weekends, the configured country's public holidays and the company's
own closed days, in the business time zone.

Every deadline and reminder time in the product comes from here, so the owner's window
means the same thing in the email, on the page and in the minute job.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import holidays
from django.conf import settings
from django.utils import timezone


def business_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.BUSINESS_TIME_ZONE)


@functools.cache
def _holidays_for(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # Years are filled in lazily by the holidays package as dates are looked up.
    return holidays.country_holidays(country, subdiv=subdivision)


def _holiday_calendar() -> holidays.HolidayBase:
    return _holidays_for(settings.BUSINESS_HOLIDAYS_COUNTRY, settings.BUSINESS_HOLIDAYS_SUBDIVISION)


def is_business_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in settings.BUSINESS_EXTRA_CLOSED_DAYS:
        return False
    return day not in _holiday_calendar()


def holiday_name(day: dt.date) -> str | None:
    return _holiday_calendar().get(day)


def next_business_day(day: dt.date) -> dt.date:
    """The first business day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_business_day(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    """`count` business days after `day` (which itself need not be a business day)."""
    for _ in range(count):
        day = next_business_day(day)
    return day


def subtract_business_days(day: dt.date, count: int) -> dt.date:
    for _ in range(count):
        day = previous_business_day(day)
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """How many business days after `start` `end` is (negative when it is before).

    Forwards it counts the business days in (start, end]; backwards, those in [end, start),
    so that it undoes `add_business_days` and `subtract_business_days` from any day.
    """
    if end == start:
        return 0
    if end < start:
        return -sum(
            1
            for offset in range((start - end).days)
            if is_business_day(end + dt.timedelta(days=offset))
        )
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=business_tz())


def close_of_business(day: dt.date) -> dt.datetime:
    return _at(day, settings.CLOSE_OF_BUSINESS)


def start_of_business(day: dt.date) -> dt.datetime:
    return _at(day, settings.START_OF_BUSINESS)


def business_date(moment: dt.datetime | None = None) -> dt.date:
    """The calendar date in the business time zone."""
    return timezone.localtime(moment or timezone.now(), business_tz()).date()


def effective_start_day(moment: dt.datetime) -> dt.date:
    """The business day a window opened at `moment` starts counting from.

    Something filed after close of business, or on a closed day, is treated as filed on
    the next business day: the owner should not lose a day to a request sent at night.
    """
    local = timezone.localtime(moment, business_tz())
    day = local.date()
    if not is_business_day(day) or local.time() >= settings.CLOSE_OF_BUSINESS:
        return next_business_day(day)
    return day


def deadline_after(moment: dt.datetime, business_days: int) -> dt.datetime:
    """Close of business `business_days` business days after the window opens at `moment`."""
    return close_of_business(add_business_days(effective_start_day(moment), business_days))


def reminder_times(window_start: dt.datetime, deadline: dt.datetime) -> list[dt.datetime]:
    """When reminders go out for a window, earliest first.

    One per REMINDER_BUSINESS_DAYS_BEFORE entry, at start of business that many business
    days before the deadline day; times that fall before the window opened are dropped
    (a short window gets fewer reminders rather than one at filing).
    """
    return [when for when in reminder_candidates(deadline) if when > window_start]


def reminder_candidates(deadline: dt.datetime) -> list[dt.datetime]:
    """The reminder times of any window ending at `deadline`, earliest first (those of a
    given window are the ones after it opened): the sweep computes them once per deadline."""
    deadline_day = timezone.localtime(deadline, business_tz()).date()
    times = set()
    for days_before in settings.REMINDER_BUSINESS_DAYS_BEFORE:
        when = start_of_business(subtract_business_days(deadline_day, days_before))
        if when < deadline:
            times.add(when)
    return sorted(times)


def next_reminder_after(
    window_start: dt.datetime, deadline: dt.datetime, after: dt.datetime
) -> dt.datetime | None:
    """The first reminder time for this window strictly after `after`."""
    for when in reminder_times(window_start, deadline):
        if when > after:
            return when
    return None


def wake_time(day: dt.date) -> dt.datetime:
    """A deferral until `day` ends at start of business that day (or the next business day)."""
    if not is_business_day(day):
        day = next_business_day(day)
    return start_of_business(day)


def business_days_left(deadline: dt.datetime, now: dt.datetime | None = None) -> int:
    """Whole business days from today until the deadline day (0 = due today)."""
    return business_days_between(business_date(now), business_date(deadline))
