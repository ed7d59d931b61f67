"""Template filters for `interviews.dates`: {{ value|day }}, {{ value|moment }}, …"""

from __future__ import annotations

from django import template

from interviews import dates

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
