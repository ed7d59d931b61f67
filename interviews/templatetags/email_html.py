"""The HTML part of an email is its text part, escaped, with web and email addresses made
into links.

Django's `urlize` does the same word by word and was the largest single cost of rendering
an email. Our bodies hold full `http(s)://` addresses and plain email addresses, so one
regular expression finds them; the link itself is quoted as `urlize` quotes it (non-ASCII
paths and domains included). An address ends at white space or at Japanese punctuation, so
「…/r/abc/。」 keeps the full stop out of the link.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, smart_urlquote
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_LINKABLE = re.compile(
    r"(?P<url>https?://[^\s<>\"\u3000-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\uff3b\uff3d]+)"
    r"|(?P<email>[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
)
# Punctuation that ends a sentence rather than the address before it.
_TRAILING = ".,:;!?'\""
_CLOSING = {")": "(", "]": "["}


def _trim(url: str) -> tuple[str, str]:
    """The address and what follows it: trailing punctuation and unbalanced brackets."""
    end = len(url)
    while end:
        last = url[end - 1]
        unbalanced = last in _CLOSING and url.count(last, 0, end) > url.count(
            _CLOSING[last], 0, end
        )
        if last not in _TRAILING and not unbalanced:
            break
        end -= 1
    return url[:end], url[end:]


@register.filter(is_safe=True)
def linkify(text: str) -> SafeString:
    """Escape `text` and turn its http(s) and email addresses into links."""
    text = str(text)
    parts: list[str] = []
    done = 0
    for match in _LINKABLE.finditer(text):
        parts.append(escape(text[done : match.start()]))
        done = match.end()
        if match.group("email"):
            address = match.group("email")
            parts.append(f'<a href="mailto:{escape(address)}">{escape(address)}</a>')
            continue
        url, rest = _trim(match.group("url"))
        if url.rstrip("/") in ("http:", "https:"):  # a scheme with nothing after it
            parts.append(escape(match.group("url")))
            continue
        href = escape(smart_urlquote(url))
        parts.append(f'<a href="{href}" rel="nofollow">{escape(url)}</a>{escape(rest)}')
    parts.append(escape(text[done:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
