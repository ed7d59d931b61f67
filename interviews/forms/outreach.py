"""After the owner: the customer's answer, the interview, its outcome; and cancelling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.forms.common import RangedDateTimeField, VersionedForm, datetime_input
from interviews.workflow.base import REASON_MAX_LENGTH


def _text(label, *, required: bool = False, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ScheduleForm(VersionedForm):
    """The customer agreed: when, where (or the call link), who takes part."""

    prefix = "schedule"

    interview_at = RangedDateTimeField(label=_("Date and time"), widget=datetime_input())
    location = forms.CharField(
        label=_("Place or video link"),
        required=False,
        max_length=300,
        help_text=_("An address, a meeting room, or the link to the call."),
    )
    participants = _text(
        _("Participants"),
        rows=2,
        help_text=_("Who takes part, on their side and ours."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["interview_at"].help_text = _("In your time zone (%(zone)s).") % {"zone": zone}

    def workflow_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "interview_at": data["interview_at"],
            "location": data["location"],
            "participants": data["participants"],
            "expected_version": data["expected_version"],
        }


class CustomerDeclinedForm(VersionedForm):
    prefix = "declined"

    reason = _text(_("What did they say? (optional)"), rows=2)

    def workflow_kwargs(self) -> dict[str, Any]:
        return {
            "reason": self.cleaned_data["reason"],
            "expected_version": self.cleaned_data["expected_version"],
        }


class CompleteForm(VersionedForm):
    """The interview was held: what came of it, shared with the owner."""

    prefix = "complete"

    outcome_summary = _text(_("Summary"), required=True, rows=3)
    outcome_learnings = _text(_("What we learned"), rows=4)
    outcome_quotes = _text(
        _("Key quotes"), rows=3, help_text=_("Their words, as they may be quoted.")
    )
    published_url = forms.URLField(
        label=_("Link to the published piece"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Add it now or once it is out."),
    )
    # Only offered to a manager before the scheduled start (the page removes it otherwise).
    early_reason = _text(
        _("Why record it before the scheduled time?"),
        required=True,
        rows=2,
        help_text=_("Recorded in the timeline."),
    )

    def workflow_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome_summary": data["outcome_summary"],
            "learnings": data["outcome_learnings"],
            "quotes": data["outcome_quotes"],
            "published_url": data["published_url"],
            "early_reason": data.get("early_reason", ""),
            "expected_version": data["expected_version"],
        }

    # Names the workflow uses for this form's fields.
    aliases = {"learnings": "outcome_learnings", "quotes": "outcome_quotes"}


class CancelForm(VersionedForm):
    prefix = "cancel"

    reason = _text(_("Why cancel?"), required=True, rows=2)

    def workflow_kwargs(self) -> dict[str, Any]:
        return {
            "reason": self.cleaned_data["reason"],
            "expected_version": self.cleaned_data["expected_version"],
        }
