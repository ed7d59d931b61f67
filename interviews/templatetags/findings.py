"""Findings as the library, the request page and the account page list them, in one tag.

The library shows 25 findings a page and is searched as you type: drawn by the template
engine (an include per finding, a dozen nodes for its source line), the findings were
most of the page's rendering. Here the labels are translated and the URLs' prefixes
reversed once per list, and each finding is one string, its values escaped with
`html.escape` as Django's `escape` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from interviews import dates

register = template.Library()


class _ListText:
    """What every finding of a list shares: labels in the active language, URL stems."""

    def __init__(self) -> None:
        self.quotable = (
            '<span class="badge quotable status-completed">'
            f"{escape(_('Quotable externally'))}</span>"
        )
        self.internal = f'<span class="sub">{escape(_("Internal only"))}</span>'
        self.edit = escape(_("Edit"))
        self.all_of_account = escape(_("All findings for this account"))
        self.account_page = escape(_("account page"))
        self.request_label = _("Request #%(id)s")
        self.findings_url = escape(reverse("findings"))


def _day(moment) -> str:
    local = timezone.localtime(moment)
    return f'<time datetime="{local.isoformat()}">{escape(dates.day(local))}</time>'


def _source(f, text: _ListText) -> str:
    account = f.account
    line = (
        f'<a href="{text.findings_url}?account={f.account_id}" title="{text.all_of_account}">'
        f"{escape(account.name)}</a>"
    )
    if getattr(f, "can_open_account", False):
        url = escape(reverse("account_detail", args=[f.account_id]))
        line += f' (<a href="{url}">{text.account_page}</a>)'
    if account.industry:
        line += f" · {escape(account.industry)}"
    line += f" · {escape(f.request.get_purpose_display())}"
    if getattr(f, "can_open_request", False):
        url = escape(reverse("request_detail", args=[f.request_id]))
        label = escape(text.request_label % {"id": f.request_id})
        line += f' · <a href="{url}">{label}</a>'
    return line + f" · {_day(f.created_at)}"


def _item(f, text: _ListText, *, show_source: bool, can_edit: bool) -> str:
    quote = ""
    if f.quote:
        speaker = ""
        if f.speaker:
            title = f", {escape(f.speaker.title)}" if f.speaker.title else ""
            speaker = f"<footer>— {escape(f.speaker.name)}{title}</footer>"
        quote = f'<blockquote class="pre">“{escape(f.quote)}”{speaker}</blockquote>'
    source = f'<p class="sub">{_source(f, text)}</p>' if show_source else ""
    edit = ""
    if can_edit:
        url = escape(reverse("finding_edit", args=[f.pk]))
        edit = f'<p class="sub"><a href="{url}">{text.edit}</a></p>'
    return (
        f'<li id="finding-{f.pk}" class="finding">\n'
        f'  <p class="meta"><span class="badge">{escape(f.get_kind_display())}</span>\n'
        f"    {text.quotable if f.quotable else text.internal}</p>\n"
        f'  <p class="statement">{escape(f.statement)}</p>\n'
        f"  {quote}\n"
        f"  {source}\n"
        f"  {edit}\n"
        "</li>\n"
    )


@register.simple_tag
def finding_items(
    findings: Iterable, *, show_source: bool = False, can_edit: bool = False
) -> SafeString:
    """The list items of these findings: kind, external-use flag, statement, quote and
    speaker; with `show_source`, the account, industry, purpose, request and day (the
    library); with `can_edit`, the edit link (the request page)."""
    text = _ListText()
    items = "".join(_item(f, text, show_source=show_source, can_edit=can_edit) for f in findings)
    # Every value above went through escape(); the rest is this module's own markup.
    return mark_safe(items)  # noqa: S308
