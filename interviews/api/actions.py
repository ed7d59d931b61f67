"""The transitions a person takes on a request, as API actions.

`POST /api/requests/{id}/actions/{name}/` with the body below calls the workflow
function of the same name. Every body carries `expected_version`, the request version the
client last read: if the request changed since, nothing happens and the answer is 409
`stale_version`, exactly like an old email link. The names are those of
`permissions.allowed_actions`, which every request lists as `allowed_actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from rest_framework import serializers

from accounts.models import User
from interviews import workflow
from interviews.api.fields import (
    IdField,
    RangedDateField,
    RangedDateTimeField,
    StrictIntegerField,
    TextField,
    WebAddressField,
)
from interviews.models import InterviewRequest, ReasonCategory
from interviews.workflow.base import REASON_MAX_LENGTH


def _text(*, required: bool = False, max_length: int = REASON_MAX_LENGTH, **kwargs: Any):
    if required:
        return TextField(max_length=max_length, **kwargs)
    return TextField(required=False, allow_blank=True, default="", max_length=max_length, **kwargs)


class VersionedSerializer(serializers.Serializer):
    expected_version = StrictIntegerField(
        min_value=1,
        help_text="The `version` of the request you last read; a newer one answers 409.",
    )

    def workflow_kwargs(self) -> dict[str, Any]:
        return dict(self.validated_data)


class NoteSerializer(VersionedSerializer):
    note = _text(help_text="Optional note for marketing.")


class DeferSerializer(VersionedSerializer):
    until = RangedDateField(
        help_text="Ask the owner again on this date: from tomorrow to MAX_DEFERRAL_DAYS "
        "(30 by default) ahead, in the business time zone. Refused (400) outside that "
        "window, and once the request was deferred MAX_DEFERRALS times."
    )
    reason_category = serializers.ChoiceField(ReasonCategory.choices)
    reason = _text(required=True)


class DeclineSerializer(VersionedSerializer):
    reason_category = serializers.ChoiceField(ReasonCategory.choices)
    reason = _text(required=True)
    pause_account_until = RangedDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Also pause new requests for the account until this date: after today "
        "and within a year (400 otherwise).",
    )


class ScheduleSerializer(VersionedSerializer):
    interview_at = RangedDateTimeField(
        help_text="ISO 8601, years 2000 to 2999; without an offset it is read in your time zone."
    )
    location = _text(max_length=300, help_text="An address, a room, or the call link.")
    participants = _text()


class CustomerDeclinedSerializer(VersionedSerializer):
    reason = _text(help_text="What the customer said (optional).")


class CompleteSerializer(VersionedSerializer):
    outcome_summary = _text(required=True)
    outcome_learnings = _text()
    outcome_quotes = _text()
    published_url = WebAddressField(required=False, default="", max_length=500)
    early_reason = _text(
        help_text="Before the interview's scheduled start only a manager may complete, and "
        "must say why here (400 otherwise); it is recorded in the timeline."
    )

    def workflow_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["learnings"] = data.pop("outcome_learnings")
        data["quotes"] = data.pop("outcome_quotes")
        return data


class ReasonSerializer(VersionedSerializer):
    reason = _text(required=True, help_text="The owner and the marketer see it.")


class ExtendDeadlineSerializer(ReasonSerializer):
    extra_business_days = StrictIntegerField(min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting: read when the body (or the schema) is built.
        most = settings.MAX_RESPONSE_WINDOW_BUSINESS_DAYS
        self.fields["extra_business_days"] = StrictIntegerField(
            min_value=1,
            max_value=most,
            help_text=f"1 to MAX_RESPONSE_WINDOW_BUSINESS_DAYS ({most}).",
        )


class ReassignOwnerSerializer(ReasonSerializer):
    new_owner = IdField(
        queryset=User.objects.all(),
        help_text="The id of an active sales or customer-success user other than the "
        "current owner (400 otherwise, also for an id that names nobody).",
    )


@dataclass(frozen=True)
class Action:
    name: str
    function: Callable[..., InterviewRequest]
    body: type[VersionedSerializer]
    summary: str
    who: str


ACTIONS: tuple[Action, ...] = (
    Action(
        "owner_will_reach_out",
        workflow.request_owner_will_reach_out,
        NoteSerializer,
        "Owner: I'll ask them myself",
        "The owner, or a manager for them; while awaiting the owner.",
    ),
    Action(
        "owner_go_ahead",
        workflow.request_owner_go_ahead,
        NoteSerializer,
        "Owner: go ahead, contact them directly",
        "The owner, or a manager for them; while awaiting the owner.",
    ),
    Action(
        "defer",
        workflow.request_defer,
        DeferSerializer,
        "Owner: not now, ask me again on a date",
        "The owner, or a manager for them; while awaiting the owner.",
    ),
    Action(
        "decline",
        workflow.request_decline,
        DeclineSerializer,
        "Owner: decline",
        "The owner, or a manager for them; while awaiting the owner.",
    ),
    Action(
        "schedule",
        workflow.request_schedule,
        ScheduleSerializer,
        "The customer agreed: schedule the interview",
        "Marketers and managers, or the owner when they ask the customer; during outreach.",
    ),
    Action(
        "customer_declined",
        workflow.request_customer_declined,
        CustomerDeclinedSerializer,
        "The customer said no",
        "Marketers and managers, or the owner when they ask the customer; during outreach.",
    ),
    Action(
        "complete",
        workflow.request_complete,
        CompleteSerializer,
        "The interview was held: record the outcome",
        "Marketers and managers; once scheduled. The outcome is shared with the owner.",
    ),
    Action(
        "cancel",
        workflow.request_cancel,
        ReasonSerializer,
        "Cancel the request",
        "The marketer who filed it, or a manager; while open.",
    ),
    Action(
        "extend_deadline",
        workflow.request_extend_deadline,
        ExtendDeadlineSerializer,
        "Manager: extend the owner's deadline",
        "Managers; while the owner owes an answer.",
    ),
    Action(
        "reassign_owner",
        workflow.request_reassign_owner,
        ReassignOwnerSerializer,
        "Manager: ask another owner",
        "Managers; before outreach. The new owner gets a fresh window.",
    ),
    Action(
        "force_switch",
        workflow.request_force_switch,
        ReasonSerializer,
        "Manager: let marketing contact the customer now",
        "Managers; before outreach.",
    ),
)

ACTION_NAMES: tuple[str, ...] = tuple(action.name for action in ACTIONS)
