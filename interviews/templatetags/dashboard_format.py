"""Formatting the dashboard's figures the same way on the page, in CSV and in email."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.25 → "25%"; nothing to divide by → "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100)}%"


@register.filter
def days_value(value: float | None) -> str:
    """A median in business days: whole numbers plain, halves with one decimal."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return number_format(value, decimal_pos=1)
