"""/api/findings/: the findings library for scripts — list and filter (everyone who may
read the library), add a batch and correct one (marketing and managers), through the same
library queries and workflow as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from interviews import library, permissions, selectors, workflow
from interviews.api.errors import error_responses
from interviews.api.fields import QueryTextField, RangedDateField, StrictIntegerField, TextField
from interviews.api.inputs import MAX_ID, SEARCH_MAX_LENGTH
from interviews.api.pagination import Pagination
from interviews.api.views import ApiView, _parsed
from interviews.errors import NotAllowed
from interviews.models import Finding, FindingKind, Purpose
from interviews.workflow.findings import BATCH_MAX, QUOTE_MAX_LENGTH, STATEMENT_MAX_LENGTH


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false: not "yes", not 1."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class CanReadFindings(BasePermission):
    message = _("Only sales, customer success, marketing and managers can read findings.")
    code = "not_allowed"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user.is_authenticated and permissions.can_read_findings(user)):
            return False
        if request.method in ("POST", "PUT", "PATCH"):
            self.message = _("Only marketing and managers can add or change findings.")
            return permissions.can_write_findings(user)
        return True


# --- What the API answers ------------------------------------------------------------------


class SpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    industry = serializers.CharField(help_text="May be empty.")


class FindingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    speaker = SpeakerSerializer(read_only=True, allow_null=True)
    account = FindingAccountSerializer(read_only=True)
    request = serializers.IntegerField(source="request_id", read_only=True)
    purpose = serializers.CharField(source="request.purpose", read_only=True)
    added_by = serializers.CharField(source="created_by.name", read_only=True)
    quote = serializers.CharField(read_only=True, help_text="May be empty.")

    class Meta:
        model = Finding
        fields = (
            "id",
            "kind",
            "kind_label",
            "statement",
            "quote",
            "speaker",
            "quotable",
            "account",
            "request",
            "purpose",
            "added_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class FindingBatchResponseSerializer(serializers.Serializer):
    findings = FindingSerializer(many=True)


# --- What the API takes --------------------------------------------------------------------


class FindingFilterSerializer(serializers.Serializer):
    q = QueryTextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words found anywhere in the finding, its quote or the speaker's name "
        "(each word; Japanese without spaces too).",
    )
    kind = serializers.ChoiceField(FindingKind.choices, required=False)
    account = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    industry = QueryTextField(required=False, allow_blank=True, default="", max_length=100)
    purpose = serializers.ChoiceField(Purpose.choices, required=False)
    added_from = RangedDateField(required=False)
    added_until = RangedDateField(required=False)
    quotable = serializers.BooleanField(
        required=False, default=False, help_text="Only findings that may be quoted externally."
    )

    def filters(self) -> library.FindingFilters:
        data = self.validated_data
        return library.FindingFilters(
            q=data["q"],
            kind=data.get("kind", ""),
            account_id=data.get("account"),
            industry=data["industry"],
            purpose=data.get("purpose", ""),
            date_from=data.get("added_from"),
            date_to=data.get("added_until"),
            quotable_only=data["quotable"],
        )


class FindingInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(FindingKind.choices)
    statement = TextField(max_length=STATEMENT_MAX_LENGTH)
    quote = TextField(required=False, allow_blank=True, default="", max_length=QUOTE_MAX_LENGTH)
    speaker = StrictIntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of one of the people interviewed; required with a quote.",
    )
    quotable = StrictBooleanField(
        required=False, default=False, help_text="The customer approved quoting it externally."
    )

    def item(self, data: dict[str, Any] | None = None) -> workflow.FindingInput:
        data = data if data is not None else self.validated_data
        return workflow.FindingInput(
            kind=data["kind"],
            statement=data["statement"],
            quote=data["quote"],
            speaker_id=data["speaker"],
            quotable=data["quotable"],
        )


class FindingBatchSerializer(serializers.Serializer):
    request = StrictIntegerField(
        min_value=1, max_value=MAX_ID, help_text="A completed request you may see."
    )
    findings = serializers.ListField(
        child=FindingInputSerializer(), min_length=1, max_length=BATCH_MAX
    )
    batch_key = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="Send the same key again (a retry) and nothing is added twice.",
    )


# --- The endpoints ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List and search findings",
        description="Sales, customer success, marketing and managers read every finding. "
        "Filters combine; newest first.",
        parameters=[FindingFilterSerializer],
        responses={200: FindingSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="Read a finding",
        responses={200: FindingSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Add findings from a completed interview (marketing and managers)",
        description="One batch: the account's owner and the owner's manager get one email.",
        request=FindingBatchSerializer,
        responses={
            201: FindingBatchResponseSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    ),
    update=extend_schema(
        summary="Correct a finding (marketing and managers)",
        description="The request's timeline records the change.",
        request=FindingInputSerializer,
        responses={200: FindingSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class FindingViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, CanReadFindings]
    pagination_class = Pagination
    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> QuerySet[Finding]:
        if self.is_schema:
            return Finding.objects.none()
        if self.action == "list":
            filters = _parsed(FindingFilterSerializer, self.request.query_params)
            return library.findings(filters.filters())
        return library.findings(library.FindingFilters())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = FindingBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        interview = get_object_or_404(
            selectors.requests_visible_to(request.user), pk=data["request"]
        )
        items = [FindingInputSerializer().item(row) for row in data["findings"]]
        added = workflow.findings_add(
            request_id=interview.pk, by=request.user, items=items, batch_key=data["batch_key"]
        )
        found = list(
            library.findings(library.FindingFilters()).filter(pk__in=[f.pk for f in added])
        )
        return Response(
            {"findings": FindingSerializer(found, many=True).data},
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("findings") + f"?account={interview.account_id}"},
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        finding = self.get_object()
        body = FindingInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not permissions.can_write_findings(request.user, finding.request):
            raise NotAllowed(_("Only marketing and managers can add or change findings."))
        workflow.finding_edit(finding_id=finding.pk, by=request.user, item=body.item())
        return Response(FindingSerializer(self.get_object()).data)
