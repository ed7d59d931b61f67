"""What the API accepts: list filters (query strings), filing a request, the dashboard's
scope. A malformed value is a 400 naming the field, never silently ignored: a script
that asks for `status=awaitng_owner` should hear about the typo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Account, User
from interviews import selectors, workflow
from interviews.api.fields import (
    IdField,
    QueryTextField,
    RangedDateField,
    StrictEmailField,
    StrictIntegerField,
    TextField,
)
from interviews.models import Candidate, Purpose, Status
from interviews.presenters import join_list
from interviews.workflow.base import REASON_MAX_LENGTH

SEARCH_MAX_LENGTH = 100
# Ids are 64-bit: a larger number is no id, and would overflow the database's integers.
MAX_ID = 2**63 - 1
MAX_CANDIDATES = 50
MAX_NEW_CANDIDATES = 20


def _search_field(help_text: str) -> QueryTextField:
    return QueryTextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=SEARCH_MAX_LENGTH,
        help_text=help_text,
    )


def _id_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=help_text
    )


class RequestFilterSerializer(serializers.Serializer):
    q = _search_field("Search account name, topic, and candidates' names and emails.")
    status = serializers.ChoiceField(
        [("open", "Any open state"), ("closed", "Any closed state"), *Status.choices],
        required=False,
        help_text="A status, or `open` / `closed`.",
    )
    owner = _id_field("The owner's user id.")
    account = _id_field("The account's id.")
    purpose = serializers.ChoiceField(Purpose.choices, required=False)
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only requests you filed or own."
    )
    ordering = serializers.ChoiceField(
        list(selectors.SORTS),
        required=False,
        default="newest",
        help_text="Each ordering ends with the id, so pages never overlap.",
    )

    def filters(self) -> selectors.RequestFilters:
        data = self.validated_data
        return selectors.RequestFilters(
            q=data["q"].strip(),
            status=data.get("status", ""),
            # An id is enough to filter on; an unknown one simply matches nothing.
            owner=User(pk=data["owner"]) if data.get("owner") else None,
            account=Account(pk=data["account"]) if data.get("account") else None,
            purpose=data.get("purpose", ""),
            mine=data["mine"],
            sort=data["ordering"],
        )


class AccountFilterSerializer(serializers.Serializer):
    q = _search_field("Search name, CRM id (exact) or domain.")


class CandidateFilterSerializer(serializers.Serializer):
    q = _search_field("Search name, email or title.")
    account = _id_field("Only the people at this account.")


# --- Filing --------------------------------------------------------------------------------


class NewCandidateSerializer(serializers.Serializer):
    name = TextField(max_length=150)
    email = StrictEmailField(required=False, allow_blank=True, default="")
    title = TextField(required=False, allow_blank=True, default="", max_length=150)


class FileRequestSerializer(serializers.Serializer):
    """The web form's fields; `candidates` are ids of people on file at the account,
    `new_candidates` people to add to it in the same transaction."""

    account = IdField(
        queryset=Account.objects.none(),
        help_text="The id of an account you may see (400 for any other id).",
    )
    candidates = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=MAX_CANDIDATES,
        help_text="Ids of candidates at the account (400 for anyone else).",
    )
    # A ListField rather than many=True: the schema then states its maxItems.
    new_candidates = serializers.ListField(
        child=NewCandidateSerializer(),
        required=False,
        default=list,
        max_length=MAX_NEW_CANDIDATES,
    )
    purpose = serializers.ChoiceField(Purpose.choices)
    topic = TextField(max_length=200)
    questions = TextField(max_length=10000)
    needed_by = RangedDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the content is needed: today or later (400 for a past date).",
    )
    note_to_owner = TextField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH
    )
    response_window_days = StrictIntegerField(required=False, allow_null=True, default=None)
    override_reason = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text="Managers only: file despite a sensitive account or the cooldown.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["account"].queryset = selectors.accounts_visible_to(request.user)
        # The agreed window is a setting: read when the body (or the schema) is built.
        least, most = (
            settings.RESPONSE_WINDOW_BUSINESS_DAYS,
            settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS,
        )
        self.fields["response_window_days"] = StrictIntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=least,
            max_value=most,
            help_text=f"Business days the owner has to answer: at least the agreed "
            f"RESPONSE_WINDOW_BUSINESS_DAYS ({least}, the default), at most "
            f"MAX_RESPONSE_WINDOW_BUSINESS_DAYS ({most}).",
        )

    def validate_candidates(self, value: list[int]) -> list[Candidate]:
        ids = list(dict.fromkeys(value))
        found = {c.pk: c for c in Candidate.objects.filter(pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("No candidate with id %(ids)s.") % {"ids": join_list(missing)}
            )
        return [found[pk] for pk in ids]

    def workflow_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["new_candidates"] = [
            workflow.NewCandidate(**person) for person in data["new_candidates"]
        ]
        return data


# --- Dashboard -----------------------------------------------------------------------------


def _period_date(help_text: str) -> RangedDateField:
    return RangedDateField(required=False, help_text=help_text)


class DashboardQuerySerializer(serializers.Serializer):
    start = _period_date("First day of the period (default: twelve weeks ago).")
    end = _period_date(
        "Last day of the period (default: today); on or after `start`, at most three years "
        "after it (400 otherwise)."
    )
    team = _id_field("The id of a manager: the team they lead (400 for anyone else).")
    owner = _id_field("The id of a person who owns accounts (400 for anyone else).")
    purpose = serializers.ChoiceField(Purpose.choices, required=False)

    def form_data(self) -> dict[str, str]:
        """The same values as the dashboard page's query string."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else str(value)
            for name, value in self.validated_data.items()
        }
