"""Findings: the library's filters, adding a batch after an interview, correcting one;
and what the owner shares of what sales already has."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from interviews import library
from interviews.forms.common import RangedDateField, date_input, plain_number
from interviews.forms.widgets import PlainSelect
from interviews.models import Candidate, Finding, FindingKind, InterviewRequest, Purpose
from interviews.workflow import FindingInput
from interviews.workflow.findings import QUOTE_MAX_LENGTH, STATEMENT_MAX_LENGTH
from interviews.workflow.sales_context import COMMENT_MAX_LENGTH, EXCERPT_MAX_LENGTH

# Rows offered at once on the request page: what one interview usually yields.
BATCH_ROWS = 3


class FindingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Words in the finding, quote or speaker"),
                "autocomplete": "off",
            }
        ),
    )
    # Selects drawn in Python: the library is searched as you type, and Django's template
    # per option was a third of the page's rendering.
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *FindingKind.choices],
        widget=PlainSelect,
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False, widget=PlainSelect)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("Any purpose")), *Purpose.choices],
        widget=PlainSelect,
    )
    account = forms.ModelChoiceField(
        label=_("Account"),
        required=False,
        queryset=Account.objects.none(),
        empty_label=_("Any account"),
        widget=PlainSelect,
    )
    date_from = RangedDateField(label=_("Added from"), required=False, widget=date_input())
    date_to = RangedDateField(label=_("Added until"), required=False, widget=date_input())
    quotable = forms.BooleanField(label=_("Only quotable externally"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [
            ("", _("Any industry")),
            *((name, name) for name in library.industries()),
        ]
        # Accounts are chosen from an account's page (a link), not from a list of thousands.
        chosen = plain_number(self.data.get("account"), max_digits=18) if self.is_bound else None
        if chosen:
            self.fields["account"].queryset = Account.objects.filter(pk=chosen)
        else:
            self.fields["account"].widget = forms.HiddenInput()

    def filters(self) -> library.FindingFilters:
        """The valid part of what was asked; a bad value just stops filtering."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        account = data.get("account")
        return library.FindingFilters(
            q=(data.get("q") or "").replace("\x00", ""),
            kind=data.get("kind") or "",
            account_id=account.pk if account else None,
            industry=data.get("industry") or "",
            purpose=data.get("purpose") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            quotable_only=bool(data.get("quotable")),
        )

    @property
    def is_filtered(self) -> bool:
        return any(v for v in vars(self.filters()).values())


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose…")), *FindingKind.choices], required=False
    )
    statement = forms.CharField(
        label=_("Finding"),
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One thing we learned, in a sentence sales can reuse."),
    )
    quote = forms.CharField(
        label=_("Verbatim quote (optional)"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Choices are the people interviewed, read once for all the rows of a batch; the
    # workflow checks again that the speaker is one of them.
    speaker = forms.TypedChoiceField(
        label=_("Said by"), required=False, coerce=int, empty_value=None
    )
    quotable = forms.BooleanField(
        label=_("May be quoted externally (the customer approved)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        request: InterviewRequest,
        people: list[Candidate] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        people = list(request.candidates.all()) if people is None else people
        self.fields["speaker"].choices = [("", "—"), *((c.pk, c.name) for c in people)]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("statement") or "").strip() and not (data.get("quote") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.is_blank() and not data.get("kind"):
            self.add_error("kind", _("Please choose what kind of finding this is."))
        return data

    def item(self) -> FindingInput:
        data = self.cleaned_data
        speaker = data.get("speaker")
        return FindingInput(
            kind=data.get("kind") or "",
            statement=data.get("statement") or "",
            quote=data.get("quote") or "",
            speaker_id=speaker,
            quotable=bool(data.get("quotable")),
        )

    @classmethod
    def initial_for(cls, finding: Finding) -> dict[str, Any]:
        return {
            "kind": finding.kind,
            "statement": finding.statement,
            "quote": finding.quote,
            "speaker": finding.speaker_id,
            "quotable": finding.quotable,
        }


class FindingBatch:
    """Several findings on one form, with a one-time key so a resubmit adds nothing twice."""

    prefix = "findings"

    def __init__(self, request: InterviewRequest, data: Any = None) -> None:
        self.bound = data is not None
        self.key = (data or {}).get(f"{self.prefix}-key") or uuid.uuid4().hex
        people = list(request.candidates.all())
        self.forms = [
            FindingForm(data, request=request, people=people, prefix=f"{self.prefix}-{i}")
            for i in range(BATCH_ROWS)
        ]
        self.errors: list[str] = []

    def is_valid(self) -> bool:
        valid = all(form.is_valid() for form in self.forms)
        if valid and not self.filled():
            self.errors.append(str(_("Please write at least one finding.")))
            return False
        return valid

    def filled(self) -> list[FindingForm]:
        return [form for form in self.forms if not form.is_blank()]

    def items(self) -> list[FindingInput]:
        return [form.item() for form in self.filled()]

    def add_workflow_error(self, field: str | None, message: str) -> None:
        """The workflow names a field as `<n>-<name>` (n among the filled rows) or `<name>`."""
        filled = self.filled()
        index, _sep, name = (field or "").rpartition("-")
        form = filled[int(index)] if index.isdigit() and int(index) < len(filled) else None
        if form is None and len(filled) == 1:
            form, name = filled[0], field or ""
        if form is not None and name in form.fields:
            form.add_error(name, message)
        else:
            self.errors.append(message)


class SalesContextForm(forms.Form):
    prefix = "context"

    excerpt = forms.CharField(
        label=_("Meeting-note excerpt"),
        required=False,
        max_length=EXCERPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste what the customer already told you: marketing reads it first."),
    )
    links = forms.CharField(
        label=_("Links to call recordings or CRM notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address a line."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.TextInput(),
    )
