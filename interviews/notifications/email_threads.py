"""Message-ID, In-Reply-To and References: one conversation per request in every inbox.

The first email about a request (the request to its owner) has the Message-ID
`<request-<id>@<site domain>>`; every later email about that request, to anyone, names it
in In-Reply-To and References, so mail clients that thread by these headers (Apple Mail,
Outlook, Thunderbird, most phone clients) show one conversation per request. Each email
still has its own Message-ID, derived from its outbox row: a retried send carries the same
one, so a server that saw it already can drop the duplicate.

A grouped reminder covers several requests: naming all of them would join their
conversations into one, so it starts a conversation of its own. A reminder about one
request joins that request's conversation.
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings

from interviews.models import EventKind, Notification, NotificationKind


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def request_thread_id(request_id: int) -> str:
    """The Message-ID of the first email about a request, which all later ones answer."""
    return f"<request-{request_id}@{site_domain()}>"


def _starts_thread(notification: Notification) -> bool:
    if notification.kind != NotificationKind.NEW_REQUEST:
        return False
    event = notification.event
    if event is not None:
        return event.kind == EventKind.FILED
    return not notification.payload.get("reassigned")


def thread_headers(notification: Notification, request_ids: list[int]) -> dict[str, str]:
    """Headers for an email about `request_ids` (the requests it shows)."""
    domain = site_domain()
    if notification.pk is None:  # a preview, not an outbox row
        own_id = make_msgid(domain=domain)
    else:
        subject = f"request-{request_ids[0]}" if len(request_ids) == 1 else notification.kind
        own_id = f"<n{notification.pk}.{subject}@{domain}>"
    if len(request_ids) != 1:
        return {"Message-ID": own_id}
    root = request_thread_id(request_ids[0])
    if _starts_thread(notification):
        return {"Message-ID": root}
    return {"Message-ID": own_id, "In-Reply-To": root, "References": root}
