"""Widgets shared by forms."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A select rendered in Python: the same elements as Django's template-based widget
    (attributes sorted, options one a line), without one template render per option (the
    owner filter and the reassignment list hundreds of people)."""

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


def _attributes(attrs: dict) -> str:
    """HTML attributes in their given order, as Django's widget attrs template writes them
    (`flatatt` moves boolean ones last)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class PlainRadioSelect(forms.RadioSelect):
    """Radio buttons rendered in Python, byte for byte what Django's templates produce:
    the owner's answer page renders one per request from an email link, and two template
    renders per option were a large share of that page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("\n  <div><label>{}</label>", group))
            for option in options:
                option_attrs = option["attrs"]
                label_for = (
                    format_html(' for="{}"', option_attrs["id"]) if option_attrs.get("id") else ""
                )
                value_attr = (
                    format_html(' value="{}"', str(option["value"]))
                    if option["value"] is not None
                    else ""
                )
                parts.append(
                    format_html(
                        '<div>\n    <label{}><input type="{}" name="{}"{}{}>'
                        "\n {}</label>\n\n</div>",
                        label_for,
                        option["type"],
                        option["name"],
                        value_attr,
                        _attributes(option_attrs),
                        option["label"],
                    )
                )
            if group:
                parts.append(mark_safe("\n  </div>"))
        own = widget["attrs"]
        return format_html(
            "<div{}{}>{}\n</div>",
            format_html(' id="{}"', own["id"]) if own.get("id") else "",
            format_html(' class="{}"', own["class"]) if own.get("class") else "",
            mark_safe("".join(parts)),  # noqa: S308 - every part above is escaped
        )
