"""What the API shows. Read-only: nothing here saves a model.

Every nested object is loaded by the view's queryset (select_related / prefetch_related /
annotations), so a page of rows costs the same queries as one row.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Account, User
from interviews import permissions
from interviews.api.actions import ACTION_NAMES
from interviews.models import Candidate, InterviewRequest, Outreach, RequestEvent, Status

# Read-only model fields lose `allow_blank` in DRF, so the schema would not admit their
# empty values: the fields that may be empty are declared here.


def _blank_choice(choices, help_text: str = "") -> serializers.ChoiceField:
    return serializers.ChoiceField(choices, allow_blank=True, read_only=True, help_text=help_text)


def _maybe_empty(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text)


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "name", "email", "department")
        read_only_fields = fields


class AccountBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ("id", "name", "crm_id")
        read_only_fields = fields


class CandidateBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ("id", "name", "title")
        read_only_fields = fields


# --- Requests --------------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    account = AccountBriefSerializer(read_only=True)
    owner = PersonSerializer(read_only=True)
    requested_by = PersonSerializer(read_only=True)
    candidates = CandidateBriefSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="What you may do to this request now: POST to `actions/{name}/`."
    )
    outreach_by = _blank_choice(
        Outreach.choices, "Who contacts the customer; empty until the owner answers."
    )
    published_url = _maybe_empty("Link to the published piece; empty until there is one.")
    state_details = serializers.SerializerMethodField(
        help_text="Details of the event that put the request in its current state "
        "(why it was deferred, declined or cancelled); null when there is none."
    )

    class Meta:
        model = InterviewRequest
        fields = (
            "id",
            "version",
            "status",
            "account",
            "owner",
            "owner_at_filing",
            "requested_by",
            "candidates",
            "purpose",
            "topic",
            "questions",
            "needed_by",
            "note_to_owner",
            "outreach_by",
            "escalated",
            "response_window_days",
            "response_due_at",
            "deferral_count",
            "deferred_until",
            "owner_responded_at",
            "interview_at",
            "interview_location",
            "interview_participants",
            "outcome_summary",
            "outcome_learnings",
            "outcome_quotes",
            "published_url",
            "created_at",
            "updated_at",
            "status_changed_at",
            "closed_at",
            "allowed_actions",
            "state_details",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ACTION_NAMES)))
    def get_allowed_actions(self, obj: InterviewRequest) -> list[str]:
        allowed = permissions.allowed_actions(self.context["request"].user, obj)
        # In the lifecycle's order; edits are not offered by the API.
        return [name for name in ACTION_NAMES if name in allowed]

    @extend_schema_field(
        serializers.DictField(child=serializers.JSONField(), allow_null=True, read_only=True)
    )
    def get_state_details(self, obj: InterviewRequest) -> dict[str, Any] | None:
        return getattr(obj, "state_event_details", None)


class EventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True, help_text="Null: the system.")
    from_status = _blank_choice(Status.choices, "Empty for the filing.")
    to_status = _blank_choice(Status.choices)
    details = serializers.DictField(child=serializers.JSONField(), read_only=True)

    class Meta:
        model = RequestEvent
        fields = ("id", "kind", "from_status", "to_status", "actor", "version", "details")
        read_only_fields = fields


class EventWithTimeSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        fields = (*EventSerializer.Meta.fields, "created_at")
        read_only_fields = fields


class RequestDetailSerializer(RequestSerializer):
    events = EventWithTimeSerializer(
        many=True, read_only=True, source="timeline", help_text="The timeline, oldest first."
    )

    class Meta(RequestSerializer.Meta):
        fields = (*RequestSerializer.Meta.fields, "events")
        read_only_fields = fields


# --- Accounts and candidates -----------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    open_request_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The account's open request, if any."
    )
    last_request_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When a request was last filed for it."
    )
    industry = _maybe_empty("From the CRM; may be empty.")

    class Meta:
        model = Account
        fields = (
            "id",
            "name",
            "crm_id",
            "domain",
            "industry",
            "owner",
            "sensitive_until",
            "sensitive_reason",
            "open_request_id",
            "last_request_at",
        )
        read_only_fields = fields


class FilingPolicySerializer(serializers.Serializer):
    """What stands in the way of filing a request for the account today."""

    sensitive_until = serializers.DateField(allow_null=True)
    sensitive_reason = serializers.CharField(allow_blank=True)
    open_request_id = serializers.IntegerField(allow_null=True)
    last_interviewed_on = serializers.DateField(allow_null=True)
    cooldown_ends_on = serializers.DateField(allow_null=True)


class CandidateSerializer(serializers.ModelSerializer):
    account = AccountBriefSerializer(read_only=True)
    email = _maybe_empty("May be empty.")

    class Meta:
        model = Candidate
        fields = ("id", "name", "email", "title", "crm_id", "last_interviewed_on", "account")
        read_only_fields = fields


class AccountCandidateSerializer(serializers.ModelSerializer):
    email = _maybe_empty("May be empty.")

    class Meta:
        model = Candidate
        fields = ("id", "name", "email", "title", "crm_id", "last_interviewed_on")
        read_only_fields = fields


class AccountDetailSerializer(AccountSerializer):
    candidates = AccountCandidateSerializer(many=True, read_only=True, source="candidate_list")
    filing_policy = FilingPolicySerializer(read_only=True)

    class Meta(AccountSerializer.Meta):
        fields = (*AccountSerializer.Meta.fields, "candidates", "filing_policy")
        read_only_fields = fields


# --- Dashboard -------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    """Definitions as on the dashboard page (`interviews/dashboard/figures.py`)."""

    open = serializers.IntegerField(help_text="Open requests now.")
    pending = serializers.IntegerField(
        help_text="With owners now: waiting for an answer, deferred, or owner outreach."
    )
    overdue = serializers.IntegerField(help_text="Stalled with the owner now.")
    filed = serializers.IntegerField(help_text="Filed in the period.")
    decided = serializers.IntegerField(help_text="Of those, settled who contacts the customer.")
    switched = serializers.IntegerField(help_text="Of those, switched after a deadline passed.")
    scheduled = serializers.IntegerField()
    completed = serializers.IntegerField()
    completed_quarter = serializers.IntegerField(help_text="Completed this calendar quarter.")
    deferrals = serializers.IntegerField()
    declines = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Requests with a first answer from the owner.")
    answered_within_window = serializers.IntegerField()
    median_response_days = serializers.FloatField(
        allow_null=True, help_text="Business days to the owner's first answer."
    )
    switched_share = serializers.FloatField(allow_null=True, help_text="switched / decided.")
    within_window_share = serializers.FloatField(
        allow_null=True, help_text="answered_within_window / decided."
    )


class FiguresRowSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    department = serializers.CharField(allow_blank=True)
    figures = FiguresSerializer()


class ScopeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True, source="team_id")
    owner = serializers.IntegerField(allow_null=True, source="owner_id")
    purpose = serializers.CharField(allow_blank=True)


class DashboardSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    total = FiguresSerializer(help_text="The headline figures.")
    owners = FiguresRowSerializer(many=True)
    teams = FiguresRowSerializer(many=True)
