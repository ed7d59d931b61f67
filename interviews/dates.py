"""Dates and times as people read them, in the active language and time zone.

Japanese: 2026年12月14日(月) 18:00 / 12月14日(月); English: Mon, Dec 14, 2026, 6:00 PM /
Mon, Dec 14 (config/formats/). The year is left out for dates in the current year. A time
names its zone ("JST") wherever the reader may be in another zone than the business one:
always in email (it travels), on pages when the reader's zone is not the business zone.

At the bottom of the layers with the calendar: the workflow's messages use it too.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The dates people may type: period arithmetic, weeks and time zones overflow near the
# years 1 and 9999, and nothing in this product is planned a millennium ahead.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2999, 12, 31)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return _local(value).date() if isinstance(value, dt.datetime) else value


def _this_year() -> int:
    return timezone.localdate().year


@functools.lru_cache(maxsize=4096)
def _date_in(date: dt.date, format_name: str, language: str | None) -> str:
    # A day reads the same in a language whoever asks: lists of findings, requests and
    # emails format the same few hundred days over and over, and Django's formatter walks
    # the format letter by letter and translates the weekday each time.
    return formats.date_format(date, format_name)


def day(value: dt.date | dt.datetime | None, *, year: bool | None = None) -> str:
    """The date with its weekday; the year only when it is not this year (or `year`)."""
    if value is None:
        return ""
    date = _as_date(value)
    with_year = year if year is not None else date.year != _this_year()
    return _date_in(date, "DATE_FORMAT" if with_year else "DAY_FORMAT", get_language())


def short_day(value: dt.date | dt.datetime | None) -> str:
    """The shortest form, for chips and narrow columns: 12/4(金) / Fri Dec 4."""
    if value is None:
        return ""
    return _date_in(_as_date(value), "SHORT_DAY_FORMAT", get_language())


def time_of_day(value: dt.datetime | dt.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return formats.time_format(value, "TIME_FORMAT")


def zone_name(value: dt.datetime) -> str:
    """The zone's abbreviation at that moment ("JST", "EST"), or "UTC+8" where the
    zone database only has a number."""
    return _abbreviation(_local(value))


def _abbreviation(value: dt.datetime) -> str:
    name = value.tzname() or ""
    if name[:1] in "+-" and name[1:].replace(":", "").isdigit():
        sign, digits = name[0], name[1:].replace(":", "")
        hours, minutes = int(digits[:2]), digits[2:4]
        return f"UTC{sign}{hours}" + (f":{minutes}" if minutes and minutes != "00" else "")
    return name


def reader_in_business_zone() -> bool:
    current = timezone.get_current_timezone()
    return getattr(current, "key", str(current)) == settings.BUSINESS_TIME_ZONE


def moment(value: dt.datetime | None, *, zone: bool | None = None, year: bool | None = None) -> str:
    """Date, weekday and time; the zone when asked to (`zone=True`), or by default when the
    reader's zone is not the business zone."""
    if value is None:
        return ""
    local = _local(value)
    with_year = year if year is not None else local.year != _this_year()
    text = formats.date_format(local, "DATETIME_FORMAT" if with_year else "DAY_TIME_FORMAT")
    show_zone = zone if zone is not None else not reader_in_business_zone()
    return f"{text} {zone_name(local)}" if show_zone else text


def business_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.BUSINESS_TIME_ZONE)


def business_clock(value: dt.datetime | None) -> str:
    """The same moment on the business clock ("6:00 PM JST", or with the day when it is
    another day there), for a reader outside the business zone; empty inside it."""
    if value is None or reader_in_business_zone():
        return ""
    there = value.astimezone(business_zone())
    same_day = there.date() == _local(value).date()
    text = formats.date_format(there, "TIME_FORMAT" if same_day else "DAY_TIME_FORMAT")
    return f"{text} {_abbreviation(there)}"


def moment_both_zones(value: dt.datetime | None) -> str:
    """Date, time and zone, and for a reader elsewhere the business clock's time beside it:
    "Wed, Dec 9, 5:00 PM UTC+8 (6:00 PM JST)". Deadlines in email, where both matter."""
    if value is None:
        return ""
    text = moment(value, zone=True)
    there = business_clock(value)
    # Translators: a time in the reader's zone, then the same time on the company's clock.
    return _("%(here)s (%(there)s)") % {"here": text, "there": there} if there else text
