"""Slack direct messages from the app: Block Kit rendering and delivery.

A message is always rendered from the request as it is *now*, in the recipient's language
and time zone. While the request waits for the owner it carries the four answers as
buttons, each with the request's version in its value (a click on an older rendering is
stale and changes nothing). Once the request moved on, the same message shows what was
decided and by whom, without buttons: every posted message is recorded (`SlackMessage`)
and re-rendered in place (`chat.update`) by the refresh row the workflow writes with
each change.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from interviews import dates, library, presenters
from interviews.links import absolute_url, request_url
from interviews.models import (
    NON_VERSIONED_EVENT_KINDS,
    EventKind,
    InterviewRequest,
    Notification,
    NotificationKind,
    ReasonCategory,
    RequestEvent,
    SlackMessage,
    Status,
)
from interviews.notifications import slack_api
from interviews.notifications.mrkdwn import escape
from interviews.notifications.slack_api import SlackRejected

log = logging.getLogger(__name__)

# The answers, in the order of the email's buttons. Their action ids are "answer:<action>".
ANSWERS = ("owner_will_reach_out", "owner_go_ahead", "defer", "decline")
ACTION_PREFIX = "answer:"
# A reminder shows this many requests in full (Slack allows 50 blocks a message).
REMINDER_REQUESTS = 10
# A batch of findings shows this many in full; the library's link shows them all.
FINDINGS_SHOWN = 10
_TEXT_LIMIT = 2900  # a section's text may hold 3,000 characters


def answer_label(action: str) -> str:
    return {
        "owner_will_reach_out": _("I'll ask them myself"),
        "owner_go_ahead": _("Go ahead, contact them"),
        "defer": _("Not now"),
        "decline": _("Decline"),
    }[action]


def _clip(text: str, limit: int = _TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def button_value(request: InterviewRequest) -> str:
    return json.dumps({"r": request.pk, "v": request.version})


def read_button_value(value: str) -> tuple[int, int] | None:
    try:
        data = json.loads(value)
        request_id, version = data["r"], data["v"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(request_id, int) or not isinstance(version, int):
        return None
    return request_id, version


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text)}]}


def _link(request: InterviewRequest) -> dict:
    return _context(
        "<{url}|{open}> · <{how}|{how_label}>".format(
            url=request_url(request),
            open=escape(_("Open the request in Interview Relay")),
            how=absolute_url(reverse("how_it_works")),
            how_label=escape(_("How this works")),
        )
    )


def _answer_buttons(request: InterviewRequest) -> dict:
    value = button_value(request)
    buttons = []
    for action in ANSWERS:
        button = {
            "type": "button",
            "action_id": f"{ACTION_PREFIX}{action}",
            "text": {"type": "plain_text", "text": answer_label(action)},
            "value": value,
        }
        if action == "owner_will_reach_out":
            button["style"] = "primary"
        buttons.append(button)
    return {"type": "actions", "block_id": f"answers:{request.pk}", "elements": buttons}


def _latest_change(request: InterviewRequest) -> RequestEvent | None:
    return (
        request.events.exclude(kind__in=NON_VERSIONED_EVENT_KINDS)
        .select_related("actor")
        .order_by("-version")
        .first()
    )


def _iso_day(value: Any) -> str:
    try:
        return dates.day(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def state_line(request: InterviewRequest) -> str:
    """What became of the request, who did it and when: shown instead of the buttons."""
    event = _latest_change(request)
    if event is None:
        return escape(request.get_status_display())
    details = event.details or {}
    what = f"*{escape(event.get_kind_display())}*"
    if details.get("until"):
        what += " " + escape(_("until %(day)s") % {"day": _iso_day(details["until"])})
    if details.get("reason_category"):
        what += f" ({escape(presenters.reason_label(details['reason_category']))})"
    if event.actor is None:
        who = escape(_("automatically"))
    elif details.get("on_behalf_of") == request.owner_id and event.actor_id != request.owner_id:
        who = escape(
            _("by %(manager)s for %(owner)s")
            % {"manager": event.actor.name, "owner": request.owner.name}
        )
    else:
        who = escape(_("by %(name)s") % {"name": event.actor.name})
    line = f":white_check_mark: {what} — {who}, {escape(dates.moment(event.created_at))}"
    note = details.get("note") or details.get("reason")
    if note:
        line += "\n>" + escape(note).replace("\n", "\n>")
    return line


def _facts(request: InterviewRequest) -> dict:
    people = ", ".join(c.name for c in request.candidates.all()) or "—"
    fields = [
        (_("Account"), request.account.name),
        (_("Purpose"), request.get_purpose_display()),
        (_("People"), people),
        (_("Answer by"), dates.moment_both_zones(request.response_due_at)),
    ]
    if request.needed_by:
        fields.append((_("Content needed by"), dates.day(request.needed_by)))
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": _clip(f"*{escape(label)}*\n{escape(value)}", 1900)}
            for label, value in fields
            if value
        ],
    }


# After the two answers that need no reason, the owner may still add a note for
# marketing (a comment on the request): the answer itself never waits for it.
NOTE_ACTION = "note"
_NOTE_AFTER = (EventKind.OWNER_WILL_REACH_OUT, EventKind.OWNER_GO_AHEAD)


def _note_button(request: InterviewRequest) -> dict:
    return {
        "type": "actions",
        "block_id": f"note:{request.pk}",
        "elements": [
            {
                "type": "button",
                "action_id": NOTE_ACTION,
                "text": {"type": "plain_text", "text": _("Add a note for marketing")},
                "value": button_value(request),
            }
        ],
    }


def _answer_or_state(request: InterviewRequest, reader: User) -> list[dict]:
    # Buttons only for someone who may still answer: a previous owner's message (the
    # request was passed on) shows what happened instead.
    may_answer = reader.pk == request.owner_id or reader.is_manager
    if request.status == Status.AWAITING_OWNER and may_answer:
        return [_answer_buttons(request)]
    blocks = [_section(state_line(request))]
    latest = _latest_change(request)
    if latest is not None and latest.kind in _NOTE_AFTER and request.is_open:
        blocks.append(_note_button(request))
    return blocks


def _ask_blocks(notification: Notification, request: InterviewRequest) -> tuple[str, list[dict]]:
    headline = {
        NotificationKind.WOKE: _("Back with you: may we interview %(account)s?"),
        NotificationKind.HANDED_OVER: _("Now yours to answer: may we interview %(account)s?"),
    }.get(notification.kind, _("May we interview %(account)s?")) % {"account": request.account.name}
    intro = _("%(marketer)s asks: %(topic)s") % {
        "marketer": request.requested_by.name,
        "topic": request.topic,
    }
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(headline, 150)}},
        _section(f"*{escape(intro)}*"),
        _facts(request),
    ]
    if request.questions:
        label = _("Questions")
        blocks.append(_section(f"*{escape(label)}*\n{escape(request.questions)}"))
    if request.note_to_owner:
        label = _("Note to you")
        blocks.append(_section(f"*{escape(label)}*\n{escape(request.note_to_owner)}"))
    blocks += _answer_or_state(request, notification.recipient)
    blocks.append(_link(request))
    return headline, blocks


def _reminder_blocks(notification: Notification) -> tuple[str, list[dict]]:
    ids = (notification.payload or {}).get("request_ids") or []
    requests = list(
        InterviewRequest.objects.filter(pk__in=ids)
        .select_related("account", "owner", "requested_by")
        .order_by("response_due_at", "pk")[:REMINDER_REQUESTS]
    )
    headline = _("Reminder: %(count)d interview request(s) wait for your answer") % {
        "count": len(ids)
    }
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(headline, 150)}}
    ]
    for request in requests:
        blocks.append(
            _section(
                "*<{url}|{account}>* — {topic}\n{due}".format(
                    url=request_url(request),
                    account=escape(request.account.name),
                    topic=escape(request.topic),
                    due=escape(
                        _("Answer by %(due)s")
                        % {"due": dates.moment_both_zones(request.response_due_at)}
                    )
                    if request.status == Status.AWAITING_OWNER
                    else "",
                )
            )
        )
        blocks += _answer_or_state(request, notification.recipient)
    if len(ids) > len(requests):
        blocks.append(
            _context(
                "<{url}|{text}>".format(
                    url=absolute_url(reverse("owner_queue")),
                    text=escape(
                        _("%(count)d more waiting for you") % {"count": len(ids) - len(requests)}
                    ),
                )
            )
        )
    return headline, blocks


def _switched_blocks(request: InterviewRequest) -> tuple[str, list[dict]]:
    people = ", ".join(c.name for c in request.candidates.all()) or request.account.name
    text = _(
        "The answer window for %(account)s passed, so %(marketer)s will contact %(people)s "
        "directly from today. You can still add a comment on the request."
    ) % {"account": request.account.name, "marketer": request.requested_by.name, "people": people}
    return text, [_section(f":arrow_right: {escape(text)}"), _link(request)]


def _outcome_blocks(request: InterviewRequest) -> tuple[str, list[dict]]:
    headline = _("Interview with %(account)s done: what we learned") % {
        "account": request.account.name
    }
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": _clip(headline, 150)}}]
    for label, value in (
        (_("Summary"), request.outcome_summary),
        (_("What we learned"), request.outcome_learnings),
        (_("Key quotes"), request.outcome_quotes),
    ):
        if value:
            blocks.append(_section(f"*{escape(label)}*\n{escape(value)}"))
    if request.published_url:
        piece = _("The published piece")
        blocks.append(_section(f"<{escape(request.published_url)}|{escape(piece)}>"))
    blocks.append(_link(request))
    return headline, blocks


def _findings_blocks(
    notification: Notification, request: InterviewRequest
) -> tuple[str, list[dict]]:
    """A batch of findings from one interview, grouped by kind as in the email."""
    found = library.by_ids(list((notification.payload or {}).get("finding_ids") or []))
    headline = ngettext(
        "%(count)d new finding from the interview with %(account)s",
        "%(count)d new findings from the interview with %(account)s",
        len(found),
    ) % {"count": len(found), "account": request.account.name}
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": _clip(headline, 150)}}]
    for group in library.grouped(found[:FINDINGS_SHOWN]):
        lines = [f"*{escape(group.label)}*"]
        for finding in group.findings:
            lines.append(f"• {escape(_clip(finding.statement, 500))}")
            if finding.quote:
                said = f" — {finding.speaker.name}" if finding.speaker else ""
                lines.append(f"> “{escape(_clip(finding.quote, 500))}”{escape(said)}")
        blocks.append(_section("\n".join(lines)))
    library_url = absolute_url(reverse("findings") + f"?account={request.account_id}")
    blocks.append(
        _context(
            "<{url}|{label}> · <{request}|{open}>".format(
                url=library_url,
                label=escape(_("All findings for this account")),
                request=request_url(request),
                open=escape(_("Open the request in Interview Relay")),
            )
        )
    )
    return headline, blocks


def _load_request(request_id: int | None) -> InterviewRequest | None:
    if request_id is None:
        return None
    return (
        InterviewRequest.objects.select_related("account", "owner", "requested_by")
        .prefetch_related(Prefetch("candidates"))
        .filter(pk=request_id)
        .first()
    )


def render(notification: Notification) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for a direct message, in the recipient's language."""
    recipient = notification.recipient
    with translation.override(recipient.language), timezone.override(recipient.time_zone):
        if notification.kind == NotificationKind.REMINDER:
            return _reminder_blocks(notification)
        request = _load_request(notification.request_id)
        if request is None:
            raise SlackRejected("the request no longer exists")
        if notification.kind == NotificationKind.SWITCHED_OWNER:
            return _switched_blocks(request)
        if notification.kind == NotificationKind.OUTCOME_SHARED:
            return _outcome_blocks(request)
        if notification.kind == NotificationKind.FINDINGS_SHARED:
            return _findings_blocks(notification, request)
        return _ask_blocks(notification, request)


def _request_ids(notification: Notification) -> list[int]:
    if notification.kind == NotificationKind.REMINDER:
        return list((notification.payload or {}).get("request_ids") or [])[:REMINDER_REQUESTS]
    if notification.kind == NotificationKind.FINDINGS_SHARED:
        return []  # knowledge, not the request's state: nothing to bring up to date
    return [notification.request_id] if notification.request_id else []


def deliver(notification: Notification) -> None:
    """Post a direct message, or bring a request's messages up to date (refresh rows).

    Raises SlackRejected for a permanent refusal; anything else is retried by the outbox."""
    if notification.kind == NotificationKind.SLACK_REFRESH:
        refresh(notification.request_id)
        return
    slack_user = notification.recipient.slack_user_id
    if not slack_user:
        raise SlackRejected("the recipient has no Slack account matched any more")
    text, blocks = render(notification)
    data = slack_api.call(
        "chat.postMessage", channel=slack_user, text=text, blocks=blocks, unfurl_links=False
    )
    now = timezone.now()
    SlackMessage.objects.bulk_create(
        [
            SlackMessage(
                notification=notification,
                request_id=request_id,
                channel_id=data.get("channel", slack_user),
                ts=data.get("ts", ""),
                created_at=now,
            )
            for request_id in _request_ids(notification)
        ],
        ignore_conflicts=True,
    )


def refresh(request_id: int | None) -> int:
    """Re-render in place every message posted about the request. Returns how many.

    Idempotent: each update shows the request as it is when the update is made, so a
    retried or late refresh can only make a message more current."""
    messages = (
        SlackMessage.objects.filter(request_id=request_id)
        .select_related("notification__recipient")
        .order_by("pk")
    )
    updated = 0
    seen: set[tuple[str, str]] = set()
    for message in messages:
        key = (message.channel_id, message.ts)
        if key in seen or not message.ts:
            continue
        seen.add(key)
        text, blocks = render(message.notification)
        try:
            slack_api.call(
                "chat.update", channel=message.channel_id, ts=message.ts, text=text, blocks=blocks
            )
        except SlackRejected as exc:
            # One message deleted by its reader must not hold back the others.
            log.info("Slack message %s not updated: %s", message.pk, exc)
            continue
        updated += 1
    return updated


# --- Modals: "not now" and "decline" ask for a reason (and a date) -----------------------

MODAL_ACTIONS = ("defer", "decline")
MODAL_CALLBACK_PREFIX = "answer:"


def _plain(text: str, limit: int = 75) -> dict:
    return {"type": "plain_text", "text": _clip(text, limit)}


def answer_modal(
    action: str,
    request: InterviewRequest,
    *,
    language: str,
    deferral_range: tuple[dt.date, dt.date],
) -> dict:
    """The modal for "not now" (date, reason category, note) or "decline" (reason
    category, note). The date picker starts at the first allowed day; the range is in its
    hint and checked again on submission, as Slack's picker cannot be bounded."""
    with translation.override(language):
        blocks: list[dict] = [
            _context(f"*{escape(request.account.name)}* — {escape(request.topic)}"),
        ]
        if action == "defer":
            first, last = deferral_range
            blocks.append(
                {
                    "type": "input",
                    "block_id": "until",
                    "label": _plain(_("Ask me again on")),
                    "hint": _plain(
                        _("Between %(first)s and %(last)s.")
                        % {"first": dates.day(first), "last": dates.day(last)},
                        150,
                    ),
                    "element": {
                        "type": "datepicker",
                        "action_id": "until",
                        "initial_date": first.isoformat(),
                    },
                }
            )
        blocks += [
            {
                "type": "input",
                "block_id": "reason_category",
                "label": _plain(_("Why not now?") if action == "defer" else _("Why decline?")),
                "element": {
                    "type": "static_select",
                    "action_id": "reason_category",
                    "options": [
                        {"text": _plain(str(label)), "value": value}
                        for value, label in ReasonCategory.choices
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "reason",
                "label": _plain(_("A few words for marketing")),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "reason",
                    "multiline": True,
                    "max_length": 2000,
                },
            },
        ]
        if action == "decline":
            blocks.append(
                {
                    "type": "input",
                    "block_id": "pause_account_until",
                    "optional": True,
                    "label": _plain(_("And pause requests for this account until (optional)")),
                    "hint": _plain(
                        _("No new interview requests can be filed for this customer until then."),
                        150,
                    ),
                    "element": {"type": "datepicker", "action_id": "pause_account_until"},
                }
            )
        return {
            "type": "modal",
            "callback_id": f"{MODAL_CALLBACK_PREFIX}{action}",
            "private_metadata": button_value(request),
            "title": _plain(answer_label(action), 24),
            "submit": _plain(answer_label(action), 24),
            "close": _plain(_("Cancel"), 24),
            "blocks": blocks,
        }


def note_modal(request: InterviewRequest, *, language: str) -> dict:
    with translation.override(language):
        return {
            "type": "modal",
            "callback_id": NOTE_ACTION,
            "private_metadata": button_value(request),
            "title": _plain(_("Note for marketing"), 24),
            "submit": _plain(_("Send"), 24),
            "close": _plain(_("Cancel"), 24),
            "blocks": [
                _context(f"*{escape(request.account.name)}* — {escape(request.topic)}"),
                {
                    "type": "input",
                    "block_id": "body",
                    "label": _plain(_("Your note (marketing sees it on the request)")),
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "body",
                        "multiline": True,
                        "max_length": 5000,
                    },
                },
            ],
        }


def notice_modal(title: str, text: str) -> dict:
    """What replaces a modal whose answer could not be applied (the request moved on)."""
    return {
        "type": "modal",
        "title": _plain(title, 24),
        "close": _plain(_("Close"), 24),
        "blocks": [_section(escape(text))],
    }
