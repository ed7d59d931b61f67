"""Narrowing the request list: read from the query string, never an error page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from interviews import selectors
from interviews.forms.common import plain_number
from interviews.forms.people import PersonChoiceField
from interviews.forms.widgets import PlainSelect
from interviews.models import Purpose, Status

SORT_CHOICES = [
    ("action", _("Needs action soonest")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("deadline", _("Owner's deadline")),
    ("updated", _("Recently changed")),
    ("account", _("Account name")),
]


class RequestFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Account, person or topic"),
                "autocomplete": "off",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("open", _("Open")),
            ("closed", _("Closed")),
            *Status.choices,
        ],
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Anyone"),
        widget=PlainSelect,
    )
    account = forms.ModelChoiceField(
        label=_("Account"),
        required=False,
        queryset=Account.objects.none(),
        empty_label=_("Any account"),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("Any purpose")), *Purpose.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.owners_for_filter()
        # Tens of thousands of accounts make no dropdown: accounts are found by typing in the
        # search box. The field still takes an account id (links from an account's page) and
        # then offers just that account, so the choice shows and can be undone.
        accounts = selectors.accounts_for_filter(user)
        chosen = plain_number(self.data.get("account"), max_digits=18) if self.is_bound else None
        if chosen:
            self.fields["account"].queryset = accounts.filter(pk=chosen)
        else:
            self.fields["account"].queryset = accounts.none()
            self.fields["account"].widget = forms.HiddenInput()

    def filters(self) -> selectors.RequestFilters:
        """The valid part of what was asked: a stale owner id just stops filtering."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.RequestFilters(
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            owner=data.get("owner"),
            account=data.get("account"),
            purpose=data.get("purpose") or "",
            mine=bool(data.get("mine")),
            sort=data.get("sort") or "action",
        )

    @property
    def is_filtered(self) -> bool:
        f = self.filters()
        return bool(f.q or f.status or f.owner or f.account or f.purpose or f.mine)
