"""A manager's overrides on a request: extend, reassign, force the switch."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import OWNER_DEPARTMENTS, User
from interviews import workflow
from interviews.forms.people import PersonChoiceField
from interviews.forms.widgets import PlainSelect
from interviews.models import InterviewRequest
from interviews.workflow.base import REASON_MAX_LENGTH


class _ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the owner and marketer see it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, interview: InterviewRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.interview = interview

    def workflow_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ExtendForm(_ReasonForm):
    extra_business_days = forms.IntegerField(
        label=_("Extend by (business days)"), min_value=1, initial=2
    )
    field_order = ["extra_business_days", "reason"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_business_days"].max_value = settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS
        self.fields["extra_business_days"].widget.attrs["max"] = (
            settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS
        )


class ReassignForm(_ReasonForm):
    new_owner = PersonChoiceField(
        label=_("New owner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        widget=PlainSelect,
    )
    field_order = ["new_owner", "reason"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = (
            User.objects.filter(is_active=True, department__in=OWNER_DEPARTMENTS)
            .exclude(pk=self.interview.owner_id)
            .order_by("name")
        )


class ForceSwitchForm(_ReasonForm):
    pass


MANAGER_FORMS: dict[str, type[_ReasonForm]] = {
    "extend_deadline": ExtendForm,
    "reassign_owner": ReassignForm,
    "force_switch": ForceSwitchForm,
}

MANAGER_FUNCTIONS = {
    "extend_deadline": workflow.request_extend_deadline,
    "reassign_owner": workflow.request_reassign_owner,
    "force_switch": workflow.request_force_switch,
}
