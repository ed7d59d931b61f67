"""Changing a request while it waits for its owner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.forms.common import RangedDateField, date_input
from interviews.models import Candidate, InterviewRequest, Purpose
from interviews.workflow.base import REASON_MAX_LENGTH


class EditRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    questions = forms.CharField(
        label=_("Questions we want answered"), widget=forms.Textarea(attrs={"rows": 6})
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("People to interview"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    needed_by = RangedDateField(label=_("Content needed by"), required=False, widget=date_input())
    note_to_owner = forms.CharField(
        label=_("Note to the owner"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, interview: InterviewRequest, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "purpose": interview.purpose,
                "topic": interview.topic,
                "questions": interview.questions,
                "candidates": [c.pk for c in interview.candidates.all()],
                "needed_by": interview.needed_by,
                "note_to_owner": interview.note_to_owner,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = interview.account.candidates.order_by("name")

    def workflow_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "topic": data["topic"],
            "questions": data["questions"],
            "candidates": list(data["candidates"]),
            "needed_by": data["needed_by"],
            "note_to_owner": data["note_to_owner"],
        }
