"""How a request reads to people: the one-sentence "what happens next" and timeline lines.

The list, the request page and emails all use these, so a request says the same thing
wherever it is shown. Dates are formatted in the active language and time zone (the
middleware activates the user's; emails override them with the recipient's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from interviews import calendar, dates, permissions
from interviews.models import (
    EventKind,
    Finding,
    InterviewRequest,
    ReasonCategory,
    RequestEvent,
    Status,
)

if TYPE_CHECKING:
    from accounts.models import User

# Labels for the fields an edit may change (and the people), as the forms call them.
FIELD_LABELS = {
    "purpose": gettext_lazy("Purpose"),
    "topic": gettext_lazy("Topic"),
    "questions": gettext_lazy("Questions we want answered"),
    "needed_by": gettext_lazy("Content needed by"),
    "note_to_owner": gettext_lazy("Note to the owner"),
    "candidates": gettext_lazy("People to interview"),
}

_REASON_PREVIEW = 60


def list_separator() -> str:
    """What goes between the items of a list in the active language: ", " or Japanese "、"."""
    # Translators: between the items of a list, as in "Topic, Questions". Japanese: "、".
    return pgettext("list separator", ", ")


def join_list(items: Iterable[Any]) -> str:
    """Items as one list in the active language: "Topic, Questions" / "トピック、質問"."""
    return list_separator().join(str(item) for item in items)


def _date(value: dt.date | dt.datetime | None) -> str:
    return dates.day(value)


def _datetime(value: dt.datetime | None) -> str:
    return dates.moment(value)


# Event details store dates as ISO strings under these keys.
_DATE_KEYS = frozenset(
    {"until", "response_due_at", "follow_up_due_at", "deadline", "to", "from", "interview_at"}
)


def _parse(value: Any) -> Any:
    """An ISO date or date-time string from event details, as a date for display."""
    if not isinstance(value, str) or len(value) < 10:
        return value
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return value


def reason_label(category: str | None) -> str:
    if not category:
        return ""
    try:
        return str(ReasonCategory(category).label)
    except ValueError:  # a category retired since the event was written
        return category


def _reason(details: dict[str, Any]) -> str:
    """“Category (their words)”, short enough for a list row."""
    label = reason_label(details.get("reason_category"))
    # The sentence supplies its own full stop.
    text = Truncator(details.get("reason") or "").chars(_REASON_PREVIEW).rstrip(".。 ")
    if label and text:
        return f"{label} ({text})"
    return label or text


def _speaks_for_marketing(viewer: User | None) -> bool:
    return viewer is not None and (
        permissions.is_marketer(viewer) or permissions.is_manager(viewer)
    )


def next_step(
    request: InterviewRequest, *, viewer: User | None = None, now: dt.datetime | None = None
) -> str:
    """One sentence: where the request stands and what happens next.

    Reads the request's own fields, plus the details of the event that put it in its
    current state when the query annotated them (`state_event_details`, see
    selectors.with_state_event) — the reason for a deferral, a decline or a cancellation.
    """
    now = now or timezone.now()
    details: dict[str, Any] = getattr(request, "state_event_details", None) or {}
    status = request.status
    owner = request.owner.name
    is_owner = viewer is not None and viewer.pk == request.owner_id

    if status in (Status.AWAITING_OWNER, Status.OWNER_OUTREACH):
        due = request.response_due_at
        if due is None:  # cannot happen (a constraint), but never crash a page over it
            return str(request.get_status_display())
        if due <= now:
            return _(
                "The owner's time is up: marketing may contact the customer directly "
                "within minutes."
            )
        days = calendar.business_days_left(due, now)
        values = {"owner": owner, "due": _datetime(due), "days": days}
        if status == Status.OWNER_OUTREACH:
            if is_owner:
                return (
                    ngettext(
                        "You are asking the customer: record their answer by %(due)s "
                        "(%(days)d business day left).",
                        "You are asking the customer: record their answer by %(due)s "
                        "(%(days)d business days left).",
                        days,
                    )
                    % values
                )
            return (
                ngettext(
                    "%(owner)s is asking the customer and has %(days)d business day left to "
                    "report their answer (until %(due)s).",
                    "%(owner)s is asking the customer and has %(days)d business days left to "
                    "report their answer (until %(due)s).",
                    days,
                )
                % values
            )
        if days == 0:
            if is_owner:
                return _("Please answer today: you have until %(due)s.") % values
            return _("%(owner)s has until %(due)s today to answer.") % values
        if is_owner:
            return (
                ngettext(
                    "You have %(days)d business day left to answer (until %(due)s).",
                    "You have %(days)d business days left to answer (until %(due)s).",
                    days,
                )
                % values
            )
        return (
            ngettext(
                "%(owner)s has %(days)d business day left to answer (until %(due)s).",
                "%(owner)s has %(days)d business days left to answer (until %(due)s).",
                days,
            )
            % values
        )

    since = _date(request.status_changed_at)
    if status == Status.MARKETING_OUTREACH:
        if _speaks_for_marketing(viewer):
            return _(
                "You may contact the customer directly since %(date)s; record their answer here."
            ) % {"date": since}
        return _("Marketing may contact the customer directly since %(date)s.") % {"date": since}

    if status == Status.DEFERRED:
        values = {"date": _date(request.deferred_until), "reason": _reason(details)}
        if values["reason"]:
            return _("Deferred until %(date)s: %(reason)s. The owner is asked again then.") % values
        return _("Deferred until %(date)s. The owner is asked again then.") % values

    if status == Status.SCHEDULED:
        when = request.interview_at
        if when is not None and when <= now:
            return _("The interview was on %(date)s: record the outcome.") % {"date": _date(when)}
        return _("Interview on %(when)s; record the outcome afterwards.") % {
            "when": _datetime(when)
        }

    if status == Status.COMPLETED:
        return _("Completed on %(date)s; the outcome was shared with %(owner)s.") % {
            "date": since,
            "owner": owner,
        }
    if status == Status.DECLINED:
        reason = _reason(details)
        if reason:
            return _("%(owner)s declined on %(date)s: %(reason)s.") % {
                "owner": owner,
                "date": since,
                "reason": reason,
            }
        return _("%(owner)s declined on %(date)s.") % {"owner": owner, "date": since}
    if status == Status.CUSTOMER_DECLINED:
        return _("The customer said no on %(date)s.") % {"date": since}
    if status == Status.CANCELLED:
        reason = _reason(details)
        if reason:
            return _("Cancelled on %(date)s: %(reason)s.") % {"date": since, "reason": reason}
        return _("Cancelled on %(date)s.") % {"date": since}
    return str(request.get_status_display())


def changed_labels(details: dict[str, Any]) -> list[str]:
    """The names of what an edit changed, as the form labels them."""
    return [str(FIELD_LABELS.get(name, name)) for name in details.get("changed", [])]


@dataclass
class EventView:
    """One timeline entry, with its details ready to show."""

    event: RequestEvent
    facts: list[tuple[str, Any]] = field(default_factory=list)
    reason: str = ""
    # What the owner (or the manager answering for them) wrote with an answer.
    note: str = ""
    link: str = ""

    @property
    def title(self) -> str:
        """What happened, in words; a manager's switch says it was theirs and early (the
        deadline's switch has its own line)."""
        if self.event.kind == EventKind.FORCED_SWITCH:
            return _("A manager let marketing contact the customer before the deadline")
        return str(self.event.get_kind_display())


def event_view(event: RequestEvent, *, names: dict[int, str] | None = None) -> EventView:
    """What a timeline entry says beyond “who did what when”, per kind of event.

    `names` maps user ids to names for events that store ids (reassignment, a manager
    answering on an owner's behalf).
    """
    names = names or {}
    d = {
        key: _parse(value) if key in _DATE_KEYS else value
        for key, value in (event.details or {}).items()
    }
    view = EventView(event=event, reason=d.get("reason") or "", note=d.get("note") or "")
    facts = view.facts
    kind = event.kind
    if d.get("on_behalf_of"):
        facts.append((_("Answered on behalf of"), names.get(d["on_behalf_of"], "—")))
    if kind in (EventKind.DEFERRED, EventKind.DECLINED) and d.get("reason_category"):
        if kind == EventKind.DEFERRED:
            facts.append((_("Until"), _date(d.get("until"))))
        facts.append((_("Reason"), reason_label(d["reason_category"])))
    elif kind == EventKind.FILED:
        facts.append((_("Owner's deadline"), _datetime(d.get("response_due_at"))))
        if d.get("window_days"):
            facts.append((_("Response window"), _n_business_days(d["window_days"])))
        if d.get("overridden"):
            facts.append((_("Policy overridden"), join_list(_policy(p) for p in d["overridden"])))
            view.reason = d.get("override_reason") or ""
    elif kind == EventKind.OWNER_WILL_REACH_OUT:
        facts.append((_("Customer's answer due"), _datetime(d.get("follow_up_due_at"))))
    elif kind == EventKind.WOKE:
        facts.append((_("Owner's deadline"), _datetime(d.get("response_due_at"))))
    elif kind in (EventKind.DEADLINE_PASSED, EventKind.REMINDER_SENT):
        facts.append((_("Deadline"), _datetime(d.get("deadline"))))
        if kind == EventKind.DEADLINE_PASSED and d.get("was") in Status.values:
            facts.append((_("Was"), Status(d["was"]).label))
    elif kind == EventKind.FORCED_SWITCH and d.get("was") in Status.values:
        facts.append((_("Was"), Status(d["was"]).label))
    elif kind == EventKind.DEADLINE_EXTENDED:
        facts.append((_("New deadline"), _datetime(d.get("to"))))
        facts.append((_("Was"), _datetime(d.get("from"))))
    elif kind == EventKind.OWNER_REASSIGNED:
        facts.append((pgettext("previous owner", "From"), names.get(d.get("from_owner"), "—")))
        facts.append((pgettext("new owner", "To"), names.get(d.get("to_owner"), "—")))
    elif kind == EventKind.SCHEDULED:
        facts.append((_("When"), _datetime(d.get("interview_at"))))
        if d.get("location"):
            facts.append((_("Where"), d["location"]))
        if d.get("participants"):
            facts.append((_("Participants"), d["participants"]))
    elif kind == EventKind.COMPLETED:
        view.link = d.get("published_url") or ""
        if d.get("early_reason"):
            facts.append((_("Recorded before the scheduled time because"), d["early_reason"]))
    elif kind == EventKind.EDITED:
        facts.append((_("Changed"), join_list(changed_labels(event.details or {}))))
    elif kind == EventKind.FINDINGS_ADDED:
        count = d.get("count") or 0
        facts.append(
            (_("Findings"), ngettext("%(n)d finding", "%(n)d findings", count) % {"n": count})
        )
    elif kind == EventKind.FINDING_EDITED:
        facts.append(
            (_("Changed"), join_list(finding_field_label(f) for f in d.get("changed", [])))
        )
        before = d.get("before") or {}
        if before.get("statement"):
            view.reason = _("Before: %(text)s") % {"text": before["statement"]}
    return view


def finding_field_label(name: str) -> str:
    try:
        return str(Finding._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _n_business_days(days: int) -> str:
    return ngettext("%(days)d business day", "%(days)d business days", days) % {"days": days}


def _policy(code: str) -> str:
    return {"sensitive": _("sensitive account"), "cooldown": _("recent interview")}.get(code, code)


def reassignment_user_ids(events: list[RequestEvent]) -> set[int]:
    """The people events name by id: both owners of a reassignment, the owner a manager
    answered for."""
    ids: set[int] = set()
    for event in events:
        on_behalf_of = (event.details or {}).get("on_behalf_of")
        if isinstance(on_behalf_of, int):
            ids.add(on_behalf_of)
        if event.kind == EventKind.OWNER_REASSIGNED:
            ids.update(
                value
                for value in (event.details.get("from_owner"), event.details.get("to_owner"))
                if isinstance(value, int)
            )
    return ids


@dataclass(frozen=True)
class Chip:
    """A deadline at a glance for list rows: how soon, the day, and how urgent (a CSS
    class: overdue, urgent, soon, calm)."""

    text: str
    urgency: str
    at: dt.datetime | dt.date


def deadline_chip(request: InterviewRequest, *, now: dt.datetime | None = None) -> Chip | None:
    """“1 business day left · Fri Dec 4” for what waits on the owner, the day a deferral
    ends, the interview's day; nothing for what waits on nobody's date. The full
    sentence (next_step) stays on the request's page."""
    now = now or timezone.now()
    status = request.status
    if status in (Status.AWAITING_OWNER, Status.OWNER_OUTREACH) and request.response_due_at:
        due = request.response_due_at
        day = dates.short_day(due)
        if due <= now:
            return Chip(_("Deadline passed · %(day)s") % {"day": day}, "overdue", due)
        days = calendar.business_days_left(due, now)
        if days == 0:
            return Chip(_("Due today · %(time)s") % {"time": dates.time_of_day(due)}, "urgent", due)
        left = ngettext("%(days)d business day left", "%(days)d business days left", days) % {
            "days": days
        }
        urgency = "urgent" if days <= 1 else "soon" if days <= 2 else "calm"
        return Chip(f"{left} · {day}", urgency, due)
    if status == Status.DEFERRED and request.deferred_until:
        return Chip(
            _("Back on %(day)s") % {"day": dates.short_day(request.deferred_until)},
            "calm",
            request.deferred_until,
        )
    if status == Status.SCHEDULED and request.interview_at:
        when = request.interview_at
        if when <= now:
            return Chip(
                _("Outcome to record · %(day)s") % {"day": dates.short_day(when)}, "soon", when
            )
        return Chip(_("Interview · %(day)s") % {"day": dates.short_day(when)}, "calm", when)
    return None
