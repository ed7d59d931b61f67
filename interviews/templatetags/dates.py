"""Template filters for `interviews.dates`: {{ value|day }}, {{ value|moment }}, …"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviews import calendar, dates

register = template.Library()


@register.filter
def day(value):
    return dates.day(value)


@register.filter
def day_with_year(value):
    return dates.day(value, year=True)


@register.filter
def short_day(value):
    return dates.short_day(value)


@register.filter
def time_of_day(value):
    return dates.time_of_day(value)


@register.filter
def moment(value):
    """Date and time; the zone when the reader is outside the business zone."""
    return dates.moment(value)


@register.filter
def moment_zoned(value):
    """Date and time with the zone, always (emails travel)."""
    return dates.moment(value, zone=True)


@register.filter
def moment_both_zones(value):
    """Date, time and zone; for a reader outside the business zone, the business clock's
    time too ("Wed, Dec 9, 5:00 PM UTC+8 (6:00 PM JST)")."""
    return dates.moment_both_zones(value)


@register.filter
def business_days_left(value):
    """How long is left until a deadline, in business days: “3 business days left”,
    “due today”; beside the deadline itself, so the reader need not count."""
    if value is None:
        return ""
    now = timezone.now()
    if value <= now:
        return _("the deadline has passed")
    days = calendar.business_days_left(value, now)
    if days == 0:
        return _("due today")
    return ngettext("%(days)d business day left", "%(days)d business days left", days) % {
        "days": days
    }
