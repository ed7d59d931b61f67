"""Names and one-line explanations of the actions people take on a request."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "owner_will_reach_out": _("I'll ask them myself"),
    "owner_go_ahead": _("Go ahead, contact them directly"),
    "defer": _("Not now…"),
    "decline": _("Decline…"),
    "extend_deadline": _("Extend the deadline"),
    "reassign_owner": _("Reassign the owner"),
    "force_switch": _("Let marketing contact the customer now"),
}

# A page's heading names the answer without the button's ellipsis (which only says that a
# form follows).
HEADINGS = {
    "defer": _("Not now"),
    "decline": _("Decline"),
}

EXPLANATIONS = {
    "owner_will_reach_out": _(
        "You contact the customer yourself and record their answer here within the follow-up "
        "window; if nothing is recorded by then, marketing may contact them directly."
    ),
    "owner_go_ahead": _("Marketing contacts the customer directly. You will hear how it went."),
    "defer": _(
        "The request waits until the date you choose, then comes back to you with a new window."
    ),
    "decline": _("The request is closed. Marketing sees your reason."),
    "extend_deadline": _("The owner gets more business days; reminders follow the new date."),
    "reassign_owner": _("Someone else is asked, with a fresh response window."),
    "force_switch": _("Marketing may contact the customer directly from now; the owner is told."),
}


@register.filter
def action_label(action: str) -> str:
    return LABELS.get(action, action)


@register.filter
def action_heading(action: str) -> str:
    return HEADINGS.get(action) or LABELS.get(action, action)


@register.filter
def action_style(action: str) -> str:
    """The button class for an answer: the yes-answers primary, decline destructive."""
    if action in ("owner_will_reach_out", "owner_go_ahead"):
        return "primary"
    if action == "decline":
        return "destructive"
    return "secondary"


@register.filter
def action_explanation(action: str) -> str:
    return EXPLANATIONS.get(action, "")


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()
