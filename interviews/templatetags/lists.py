"""Lists in running text, separated the way the active language does it ("a, b" / "a、b")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from interviews import presenters

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def join_list(value: Iterable[Any], autoescape: bool = True) -> str:
    """`{{ labels|join_list }}`: like `|join:", "`, with the language's separator."""
    if not autoescape:
        return presenters.join_list(value)
    return mark_safe(  # noqa: S308 - every item is escaped; the separator is ours
        presenters.join_list(conditional_escape(item) for item in value)
    )


@register.simple_tag
def list_separator() -> str:
    """`{% if not forloop.last %}{% list_separator %}{% endif %}` for lists built in a loop."""
    return presenters.list_separator()
