"""The dashboard's filters: team, owner, purpose and period (GET, so links can share them)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import OWNER_DEPARTMENTS, User
from interviews import calendar, permissions
from interviews.dashboard import Scope, team_scoping_enabled
from interviews.dashboard.scope import default_period
from interviews.forms.common import RangedDateField
from interviews.forms.widgets import PlainSelect
from interviews.models import Purpose

MAX_PERIOD_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    team = forms.TypedChoiceField(
        label=_("Team"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    owner = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, widget=PlainSelect)
    start = RangedDateField(
        label=pgettext_lazy("start of a period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = RangedDateField(
        label=pgettext_lazy("end of a period", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, user: User, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.user = user
        start, end = default_period(calendar.business_date(self.now))
        self.locked_team = self._locked_team(user)
        data = data.copy() if data is not None else {}
        # An empty or missing date means the default period, not an error.
        if not data.get("start"):
            data["start"] = start.isoformat()
        if not data.get("end"):
            data["end"] = end.isoformat()
        if self.locked_team is not None:
            data["team"] = str(self.locked_team)
        super().__init__(data, label_suffix="")
        managers, owners = self._people()
        everyone = [("", _("Everyone"))]
        self.fields["team"].choices = (
            [] if self.locked_team is not None else [("", _("All teams"))]
        ) + [(pk, name) for pk, name in managers]
        self.fields["owner"].choices = everyone + [(pk, name) for pk, name in owners]
        self.fields["purpose"].choices = [("", _("All purposes")), *Purpose.choices]

    @staticmethod
    def _locked_team(user: User) -> int | None:
        """With team scoping on, a manager (not an admin) sees their own team only."""
        if team_scoping_enabled() and not user.is_superuser and permissions.is_manager(user):
            return user.pk
        return None

    def _people(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Managers (teams) and owners to choose from, in one query."""
        qs = User.objects.filter(is_active=True).filter(
            Q(is_manager=True) | Q(department__in=OWNER_DEPARTMENTS)
        )
        if self.locked_team is not None:
            qs = qs.filter(Q(pk=self.locked_team) | Q(reports_to_id=self.locked_team))
        managers, owners = [], []
        for person in qs.order_by("name").values("pk", "name", "email", "is_manager", "department"):
            label = person["name"] or person["email"]
            if person["is_manager"] and (
                self.locked_team is None or person["pk"] == self.locked_team
            ):
                managers.append((person["pk"], label))
            if person["department"] in OWNER_DEPARTMENTS:
                owners.append((person["pk"], label))
        return managers, owners

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif (end - start).days >= MAX_PERIOD_DAYS:
                self.add_error("start", _("Please choose a period of three years or less."))
        return data

    def scope(self) -> Scope:
        """The chosen scope; the defaults for whatever did not validate."""
        data = self.cleaned_data if self.is_bound else {}
        fallback = Scope.default(self.now, team_id=self.locked_team)
        if self.errors:
            data = {k: v for k, v in data.items() if k not in self.errors}
            if "start" in self.errors or "end" in self.errors:
                data.pop("start", None)
                data.pop("end", None)
        return Scope(
            start=data.get("start") or fallback.start,
            end=data.get("end") or fallback.end,
            now=self.now,
            team_id=self.locked_team if self.locked_team is not None else data.get("team"),
            owner_id=data.get("owner"),
            purpose=data.get("purpose") or "",
        )
