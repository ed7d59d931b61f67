"""Rendering notifications into email, in the recipient's language and time zone.

Every kind has three templates under `templates/emails/<kind>/`: `subject.txt`, `body.txt`
(the plain-text part, complete: every link spelled out) and `body.html` (the HTML part,
built for mail clients: tables, one base layout `emails/base.html` and its partials).
The HTML is styled by classes from `emails/email.css`, written into style attributes once
per template when it is loaded (`html_templates`), because Gmail and Outlook ignore most
of a `<style>` tag; the @media rules (phone widths, dark mode) stay in one.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from interviews import library, links, presenters
from interviews.links import absolute_url, request_url
from interviews.models import (
    WAITING_ON_OWNER_STATUSES,
    Comment,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    ReasonCategory,
)
from interviews.notifications import calendar_files, digest, email_threads, html_templates

# Emails that ask the owner for an answer carry one signed link per answer.
_ASKS_OWNER = {NotificationKind.NEW_REQUEST, NotificationKind.WOKE}

# A grouped reminder shows this many requests in full (each with its own buttons) and
# lists the rest, so a long one stays under Gmail's 102 KB clipping size.
REMINDER_CARDS = 10

# After the preview line: invisible characters that keep mail clients from filling the
# preview with the start of the body.
_PREHEADER_FILLER = mark_safe("\u034f\u200c\u00a0" * 40)  # noqa: S308 - constant text

# Who a reply should reach: the marketer for what goes to owners, and the other way round.
_TO_MARKETER = {NotificationKind.DECIDED, NotificationKind.SWITCHED_MARKETER}


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
        "how_it_works_url": absolute_url(reverse("how_it_works")),
        "queue_url": absolute_url(reverse("owner_queue")),
    }
    if request is not None:
        context["request_url"] = request_url(request)
        context["candidates"] = list(request.candidates.all())
    if details.get("reason_category"):
        context["reason_label"] = ReasonCategory(details["reason_category"]).label
    if notification.kind == NotificationKind.COMMENT:
        context["comment"] = (
            Comment.objects.select_related("author")
            .filter(pk=notification.payload.get("comment_id"))
            .first()
        )
    if notification.kind == NotificationKind.EDITED:
        context["changed"] = presenters.changed_labels(details)
    if notification.kind in _ASKS_OWNER and request is not None:
        context["answers"] = _answers(request, notification)
    if notification.kind == NotificationKind.REMINDER:
        ids = notification.payload.get("request_ids", [])
        requests = list(
            InterviewRequest.objects.filter(
                pk__in=ids, owner=notification.recipient, status__in=WAITING_ON_OWNER_STATUSES
            )
            .select_related("account", "requested_by")
            .order_by("response_due_at", "pk")
        )
        # Most urgent first: the ones shown in full, then the rest by name only.
        context["requests"] = [
            (r, request_url(r), _answers(r, notification)) for r in requests[:REMINDER_CARDS]
        ]
        context["more_requests"] = [(r, request_url(r)) for r in requests[REMINDER_CARDS:]]
        context["request_count"] = len(requests)
    if notification.kind == NotificationKind.WEEKLY_DIGEST:
        context.update(digest.email_context(notification))
    if notification.kind == NotificationKind.FINDINGS_SHARED and request is not None:
        found = library.by_ids(notification.payload.get("finding_ids", []))
        context["finding_groups"] = library.grouped(found)
        context["finding_count"] = len(found)
        context["library_url"] = absolute_url(
            reverse("findings") + f"?account={request.account_id}"
        )
    return context


def _answers(request: InterviewRequest, notification: Notification) -> list[tuple[str, str]]:
    """The owner's answers with signed links, if the request still waits for one."""
    if request.owner_id != notification.recipient_id or request.status != "awaiting_owner":
        return []
    urls = links.action_urls(request, notification.recipient)
    return [(action, urls[action]) for action in links.OWNER_ACTIONS]


def _reply_to(notification: Notification, context: dict[str, Any]) -> list[str]:
    comment = context.get("comment")
    if comment is not None:  # a reply goes to whoever wrote the comment
        return [comment.author.email] if comment.author_id != notification.recipient_id else []
    request = notification.request
    if request is None:
        requests = context.get("requests") or []
        return [requests[0][0].requested_by.email] if requests else []
    person = request.owner if notification.kind in _TO_MARKETER else request.requested_by
    if person.pk == notification.recipient_id:
        # The owner told that a manager answered for them replies to that manager.
        actor = notification.event.actor if notification.event else None
        return [actor.email] if actor is not None and actor.pk != person.pk else []
    return [person.email]


def _cc(notification: Notification) -> list[str]:
    manager = notification.recipient.reports_to
    if notification.payload.get("cc_manager") and manager is not None and manager.is_active:
        return [manager.email]
    return []


def render_html(template: str, context: dict[str, Any]) -> str:
    """An HTML part, its styles already inlined in the template."""
    return html_templates.render(
        template,
        {
            **context,
            "media_style": html_templates.media_style(),
            "preheader_filler": _PREHEADER_FILLER,
        },
    )


def render(notification: Notification) -> tuple[str, str, str, dict[str, Any]]:
    """Subject, text body and HTML body for a notification, in the recipient's language."""
    with (
        translation.override(notification.recipient.language),
        timezone.override(_recipient_zone(notification)),
    ):
        context = _context(notification)
        base = f"emails/{notification.kind}"
        subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{base}/body.txt", context).strip() + "\n"
        # Every email ends with the same footer: where the agreement is explained.
        text += render_to_string("emails/_footer.txt", context).strip() + "\n"
        html = render_html(f"{base}/body.html", context)
    return subject, text, html, context


def _shown_request_ids(notification: Notification, context: dict[str, Any]) -> list[int]:
    if notification.request_id is not None:
        return [notification.request_id]
    shown = [item[0].pk for item in context.get("requests") or []]
    return shown + [item[0].pk for item in context.get("more_requests") or []]


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
            # One conversation per request in the recipient's inbox.
            **email_threads.thread_headers(notification, _shown_request_ids(notification, context)),
            # e.g. List-Unsubscribe on the digest.
            **context.get("email_headers", {}),
        },
    )
    message.attach_alternative(html, "text/html")
    request = notification.request
    if (
        notification.kind == NotificationKind.SCHEDULED
        and request is not None
        and request.interview_at is not None
    ):
        message.attach(
            calendar_files.filename(request),
            calendar_files.interview_event(request, language=notification.recipient.language),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
    return message


__all__ = ["EventKind", "build_message", "render", "request_url"]
