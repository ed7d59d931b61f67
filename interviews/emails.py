"""Rendering notifications into email, in the recipient's language and time zone.

One helper renders every kind from `templates/emails/<kind>/subject.txt` and `body.txt`;
the HTML part wraps the same text in `templates/emails/base.html`, so both parts always
say the same thing.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from interviews.models import (
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    ReasonCategory,
)

# Who a reply should reach: the marketer for what goes to owners, and the other way round.
_TO_MARKETER = {NotificationKind.DECIDED, NotificationKind.SWITCHED_MARKETER}


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def request_url(request: InterviewRequest) -> str:
    return absolute_url(reverse("request_detail", args=[request.pk]))


def _recipient_zone(notification: Notification) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(notification.recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _context(notification: Notification) -> dict[str, Any]:
    request = notification.request
    event = notification.event
    details = event.details if event else {}
    context: dict[str, Any] = {
        "notification": notification,
        "recipient": notification.recipient,
        "request": request,
        "event": event,
        "details": details,
        "payload": notification.payload,
        "site_url": settings.SITE_URL,
        "home_url": absolute_url(reverse("home")),
    }
    if request is not None:
        context["request_url"] = request_url(request)
        context["candidates"] = list(request.candidates.all())
    if details.get("reason_category"):
        context["reason_label"] = ReasonCategory(details["reason_category"]).label
    if notification.kind == NotificationKind.REMINDER:
        ids = notification.payload.get("request_ids", [])
        requests = list(
            InterviewRequest.objects.filter(pk__in=ids)
            .select_related("account", "requested_by")
            .order_by("response_due_at", "pk")
        )
        context["requests"] = [(r, request_url(r)) for r in requests]
    return context


def _reply_to(notification: Notification, context: dict[str, Any]) -> list[str]:
    request = notification.request
    if request is None:
        requests = context.get("requests") or []
        return [requests[0][0].requested_by.email] if requests else []
    person = request.owner if notification.kind in _TO_MARKETER else request.requested_by
    return [person.email] if person.pk != notification.recipient_id else []


def _cc(notification: Notification) -> list[str]:
    manager = notification.recipient.reports_to
    if notification.payload.get("cc_manager") and manager is not None and manager.is_active:
        return [manager.email]
    return []


def render(notification: Notification) -> tuple[str, str, str, dict[str, Any]]:
    """Subject, text body and HTML body for a notification, in the recipient's language."""
    with (
        translation.override(notification.recipient.language),
        timezone.override(_recipient_zone(notification)),
    ):
        context = _context(notification)
        base = f"emails/{notification.kind}"
        subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        text = render_to_string(f"{base}/body.txt", context).strip() + "\n"
        html = render_to_string("emails/base.html", {**context, "subject": subject, "body": text})
    return subject, text, html, context


def build_message(notification: Notification, *, connection=None) -> EmailMultiAlternatives:
    subject, text, html, context = render(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        cc=_cc(notification),
        reply_to=_reply_to(notification, context),
        connection=connection,
        headers={
            # Out-of-office replies should not answer machine mail (RFC 3834).
            "Auto-Submitted": "auto-generated",
            "X-Interview-Relay-Kind": notification.kind,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


__all__ = ["EventKind", "build_message", "render", "request_url"]
