"""The owner's answers, used both by email links and by signed-in owners."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews import dates, workflow
from interviews.forms.common import RangedDateField
from interviews.forms.widgets import PlainRadioSelect
from interviews.models import ReasonCategory
from interviews.workflow.base import REASON_MAX_LENGTH


def _reason_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date_input(first: dt.date | None = None, last: dt.date | None = None) -> forms.DateInput:
    attrs = {"type": "date"}
    if first:
        attrs["min"] = first.isoformat()
    if last:
        attrs["max"] = last.isoformat()
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


class ApproveForm(forms.Form):
    """“I'll ask them myself” and “Go ahead”: one button and an optional note."""

    note = forms.CharField(
        label=_("Note for marketing (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def workflow_kwargs(self) -> dict:
        return {"note": self.cleaned_data["note"]}


class DeferForm(forms.Form):
    until = RangedDateField(label=_("Ask me again on"))
    reason_category = forms.ChoiceField(
        label=_("Why not now?"), choices=ReasonCategory.choices, widget=PlainRadioSelect
    )
    reason = _reason_field(_("A few words for marketing"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        first, last = workflow.deferral_range()
        self.fields["until"].widget = _date_input(first, last)
        self.fields["until"].help_text = _("Between %(first)s and %(last)s.") % {
            "first": dates.day(first),
            "last": dates.day(last),
        }

    def workflow_kwargs(self) -> dict:
        return {
            "until": self.cleaned_data["until"],
            "reason_category": self.cleaned_data["reason_category"],
            "reason": self.cleaned_data["reason"],
        }


class DeclineForm(forms.Form):
    reason_category = forms.ChoiceField(
        label=_("Why decline?"), choices=ReasonCategory.choices, widget=PlainRadioSelect
    )
    reason = _reason_field(_("A few words for marketing"))
    pause_account_until = RangedDateField(
        label=_("And pause requests for this account until (optional)"),
        required=False,
        widget=_date_input(),
        help_text=_("No new interview requests can be filed for this customer until then."),
    )

    def workflow_kwargs(self) -> dict:
        return {
            "reason_category": self.cleaned_data["reason_category"],
            "reason": self.cleaned_data["reason"],
            "pause_account_until": self.cleaned_data["pause_account_until"],
        }


class SensitiveForm(forms.Form):
    until = RangedDateField(label=_("Pause new requests until"), widget=_date_input())
    reason = _reason_field(_("Why (marketing sees this)"))


DECISION_FORMS: dict[str, type[forms.Form]] = {
    "owner_will_reach_out": ApproveForm,
    "owner_go_ahead": ApproveForm,
    "defer": DeferForm,
    "decline": DeclineForm,
}

DECISION_FUNCTIONS = {
    "owner_will_reach_out": workflow.request_owner_will_reach_out,
    "owner_go_ahead": workflow.request_owner_go_ahead,
    "defer": workflow.request_defer,
    "decline": workflow.request_decline,
}
