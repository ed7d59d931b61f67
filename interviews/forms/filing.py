"""Filing a request: the account, the people, what we want to learn, the owner's window."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from interviews import permissions, selectors, workflow
from interviews.forms.common import RangedDateField, date_input
from interviews.models import Candidate, Purpose
from interviews.workflow.base import REASON_MAX_LENGTH

# Fields that hold one value each (the candidates hold a list).
SINGLE_VALUE_FIELDS = (
    "account_q",
    "account",
    "new_candidate_name",
    "new_candidate_email",
    "new_candidate_title",
    "purpose",
    "topic",
    "questions",
    "needed_by",
    "note_to_owner",
    "response_window_days",
    "override_reason",
)


def initial_from(data) -> dict[str, Any]:
    """What the person typed so far, to show again without judging it (a search, a
    change of account): errors appear only when they file."""
    initial: dict[str, Any] = {name: data.get(name) for name in SINGLE_VALUE_FIELDS if name in data}
    initial["candidates"] = data.getlist("candidates")
    initial.setdefault("response_window_days", settings.RESPONSE_WINDOW_BUSINESS_DAYS)
    return initial


class FilingForm(forms.Form):
    account_q = forms.CharField(
        label=_("Find the account"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Name, CRM id or domain"),
            }
        ),
    )
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), empty_label=_("Choose an account")
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("People to interview"),
        required=False,
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    new_candidate_name = forms.CharField(label=_("Name"), required=False, max_length=150)
    new_candidate_email = forms.EmailField(label=_("Email"), required=False)
    new_candidate_title = forms.CharField(label=_("Title"), required=False, max_length=150)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose a purpose")), *Purpose.choices]
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("What the interview is about, in one line."),
    )
    questions = forms.CharField(
        label=_("Questions we want answered"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. The owner sees them before deciding."),
    )
    needed_by = RangedDateField(label=_("Content needed by"), required=False, widget=date_input())
    note_to_owner = forms.CharField(
        label=_("Note to the owner"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    response_window_days = forms.IntegerField(label=_("Owner's response window (business days)"))
    override_reason = forms.CharField(
        label=_("Why file anyway (manager override)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the account is sensitive or was interviewed recently."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        accounts = selectors.accounts_visible_to(user)
        self.fields["account"].queryset = accounts
        least = settings.RESPONSE_WINDOW_BUSINESS_DAYS
        most = settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS
        # The bounds are settings: build the field now, not when the module was imported.
        self.fields["response_window_days"] = forms.IntegerField(
            label=self.fields["response_window_days"].label,
            min_value=least,
            max_value=most,
            help_text=_(
                "At least %(least)d, as agreed with sales and customer success; at most %(most)d."
            )
            % {"least": least, "most": most},
        )
        if not permissions.can_override_policy(user):
            del self.fields["override_reason"]
        self.account = self._chosen_account(accounts)
        if self.account is not None:
            self.fields["candidates"].queryset = self.account.candidates.order_by("name")

    def _chosen_account(self, accounts) -> Account | None:
        value = self["account"].value()
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
        return accounts.filter(pk=pk).first()

    @property
    def window_days(self) -> int:
        """The window to preview: what was typed if it is allowed, else the default."""
        try:
            days = int(self["response_window_days"].value())
        except (TypeError, ValueError):
            return settings.RESPONSE_WINDOW_BUSINESS_DAYS
        least = settings.RESPONSE_WINDOW_BUSINESS_DAYS
        return min(max(days, least), settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_new = bool((data.get("new_candidate_name") or "").strip())
        if not has_new and (data.get("new_candidate_email") or data.get("new_candidate_title")):
            self.add_error("new_candidate_name", _("Please give the new person's name."))
        elif not has_new and not data.get("candidates") and "candidates" not in self.errors:
            self.add_error(
                "candidates",
                _("Please choose at least one person to interview, or add someone new."),
            )
        return data

    def new_candidates(self) -> list[workflow.NewCandidate]:
        name = (self.cleaned_data.get("new_candidate_name") or "").strip()
        if not name:
            return []
        return [
            workflow.NewCandidate(
                name=name,
                email=self.cleaned_data.get("new_candidate_email") or "",
                title=self.cleaned_data.get("new_candidate_title") or "",
            )
        ]

    def workflow_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "account": data["account"],
            "candidates": list(data["candidates"]),
            "new_candidates": self.new_candidates(),
            "purpose": data["purpose"],
            "topic": data["topic"],
            "questions": data["questions"],
            "needed_by": data["needed_by"],
            "note_to_owner": data["note_to_owner"],
            "response_window_days": data["response_window_days"],
            "override_reason": data.get("override_reason") or "",
        }
