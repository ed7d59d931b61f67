"""A finding's source line — account, industry, purpose, request, date — in one tag.

The library shows 25 findings a page and is searched as you type: this line, drawn by the
template engine node by node, was the largest part of each result's rendering. The same
HTML comes from one `format_html` here.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from interviews import dates

register = template.Library()


@register.simple_tag
def finding_source(f) -> SafeString:
    parts = [
        format_html(
            '<a href="{}?account={}" title="{}">{}</a>',
            reverse("findings"),
            f.account_id,
            _("All findings for this account"),
            f.account.name,
        )
    ]
    if getattr(f, "can_open_account", False):
        parts.append(
            format_html(
                ' (<a href="{}">{}</a>)',
                reverse("account_detail", args=[f.account_id]),
                _("account page"),
            )
        )
    if f.account.industry:
        parts.append(format_html(" · {}", f.account.industry))
    parts.append(format_html(" · {}", f.request.get_purpose_display()))
    if getattr(f, "can_open_request", False):
        parts.append(
            format_html(
                ' · <a href="{}">{}</a>',
                reverse("request_detail", args=[f.request_id]),
                _("Request #%(id)s") % {"id": f.request_id},
            )
        )
    parts.append(
        format_html(
            ' · <time datetime="{}">{}</time>',
            timezone.localtime(f.created_at).isoformat(),
            dates.day(f.created_at),
        )
    )
    # Every part above is built by format_html, which escapes what it is given.
    return mark_safe("".join(parts))  # noqa: S308
