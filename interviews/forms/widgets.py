"""Widgets shared by forms."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A select rendered in Python: the same HTML as Django's template-based widget, without
    one template render per option (the owner filter lists hundreds of people)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            chosen = option_value in selected
            if chosen:
                selected = set()  # a single select marks only the first match
            options.append(
                f'<option value="{escape(option_value)}"{" selected" if chosen else ""}>'
                f"{escape(label)}</option>"
            )
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        # Every value and label above is escaped.
        return format_html(
            "<select{}>\n{}\n</select>",
            flatatt(final_attrs),
            mark_safe("\n".join(options)),  # noqa: S308
        )
