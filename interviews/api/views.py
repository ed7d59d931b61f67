"""The API's views: thin, over the selectors (what a person may see), the workflow (every
change) and the dashboard (the figures). Errors become the body of `api/errors.py`."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account, User
from interviews import dashboard, permissions, selectors, workflow
from interviews.api import inputs
from interviews.api.actions import Action
from interviews.api.errors import error_body, error_responses
from interviews.api.pagination import Pagination
from interviews.api.permissions import CanFileWhenPosting, IsManager
from interviews.api.serializers import (
    AccountDetailSerializer,
    AccountSerializer,
    CandidateSerializer,
    DashboardSerializer,
    RequestDetailSerializer,
    RequestSerializer,
)
from interviews.errors import NotAllowed
from interviews.forms.dashboard import DashboardFilterForm
from interviews.models import Candidate, InterviewRequest, RequestEvent


class ApiView:
    """What every API view shares: the signed-in person's language and time zone, as the
    web pages use them (a token is read after the middleware ran, so it is done here)."""

    request: Request

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()

    @property
    def is_schema(self) -> bool:
        """drf-spectacular builds the schema with a fake request: no real queries."""
        return getattr(self, "swagger_fake_view", False)


def _parsed(serializer_class: type[serializers.Serializer], query: Any) -> Any:
    """The query string, validated. A repeated parameter, or an empty one that takes a
    value, is as malformed as a wrong value: leave it out to mean "any"."""
    serializer = serializer_class(data=query)
    for name in query:
        values = query.getlist(name)
        field = serializer.fields.get(name)
        if len(values) > 1:
            raise serializers.ValidationError({name: [_("Give this parameter once.")]})
        if field is not None and values == [""] and not getattr(field, "allow_blank", False):
            raise serializers.ValidationError(
                {name: [_("Leave this parameter out, or give it a value.")]}
            )
    serializer.is_valid(raise_exception=True)
    return serializer


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


# --- Requests --------------------------------------------------------------------------------


def request_detail_queryset(user: User) -> QuerySet[InterviewRequest]:
    """Requests this person may open, with their candidates and timeline (three queries)."""
    return selectors.request_for_page(user).prefetch_related(
        Prefetch(
            "events",
            queryset=RequestEvent.objects.select_related("actor").order_by("created_at", "id"),
            to_attr="timeline",
        )
    )


def _detail(request: Request, pk: int) -> dict[str, Any]:
    # Whoever acted on a request can still see it afterwards: only a manager (who sees
    # every request) moves one to another owner.
    interview = request_detail_queryset(request.user).get(pk=pk)
    return RequestDetailSerializer(interview, context={"request": request}).data


@extend_schema_view(
    list=extend_schema(
        summary="List the requests you may see",
        description="Owners see the requests they own, owned or filed; marketers and "
        "managers see all. Filters combine; `page` and `page_size` (at most 100) page "
        "through a stable ordering.",
        parameters=[inputs.RequestFilterSerializer],
        responses={200: RequestSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Read a request, with its timeline",
        responses={200: RequestDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="File a request (marketers and managers)",
        description="Calls the same workflow as the web form: the account's owner is "
        "emailed and gets the agreed window. Refused by policy (an open request, a "
        "sensitive account, the cooldown): 409 with the reason's code.",
        request=inputs.FileRequestSerializer,
        responses={201: RequestDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class RequestViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, CanFileWhenPosting]
    pagination_class = Pagination
    queryset = InterviewRequest.objects.none()

    def get_queryset(self) -> QuerySet[InterviewRequest]:
        if self.is_schema:
            return InterviewRequest.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = _parsed(inputs.RequestFilterSerializer, self.request.query_params)
            return selectors.request_list(user, filters.filters()).prefetch_related("candidates")
        return request_detail_queryset(user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return RequestSerializer if self.action == "list" else RequestDetailSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = inputs.FileRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        interview = workflow.request_file(by=request.user, **body.workflow_kwargs())
        return Response(
            _detail(request, interview.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-request-detail", args=[interview.pk])},
        )


class RequestActionView(ApiView, GenericAPIView):
    """One transition; `action_view` makes a view per action, each with its body schema."""

    action: Action
    queryset = InterviewRequest.objects.none()

    def post(self, request: Request, pk: str) -> Response:
        user = request.user
        interview = get_object_or_404(selectors.requests_visible_to(user), pk=pk)
        # Who may act first (403), then the body (400); the workflow then checks the
        # version (409 stale_version) and the state (409 invalid_transition) on the
        # locked row, and checks who acts once more.
        if not permissions.can(user, self.action.name, interview):
            raise NotAllowed(_("You are not allowed to do this for this request."))
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.action.function(request_id=interview.pk, by=user, **body.workflow_kwargs())
        return Response(_detail(request, interview.pk))


def action_view(action: Action) -> type[RequestActionView]:
    @extend_schema(
        operation_id=f"requests_actions_{action.name}",
        summary=action.summary,
        description=f"Who and when: {action.who} Calls `workflow.request_{action.name}`.",
        tags=["requests"],
        request=action.body,
        responses={200: RequestDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self: RequestActionView, request: Request, pk: str) -> Response:
        return RequestActionView.post(self, request, pk)

    name = "".join(part.title() for part in action.name.split("_")) + "ActionView"
    return type(
        name,
        (RequestActionView,),
        {"action": action, "serializer_class": action.body, "post": post, "__doc__": None},
    )


# --- Accounts and candidates -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List the customer accounts you may see",
        description="Marketers and managers see all; an owner the accounts they own or "
        "were asked about.",
        parameters=[inputs.AccountFilterSerializer],
        responses={200: AccountSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Read an account, its people and what stands in the way of filing",
        responses={200: AccountDetailSerializer, **error_responses(401, 404)},
    ),
)
class AccountViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    queryset = Account.objects.none()

    def get_queryset(self) -> QuerySet[Account]:
        if self.is_schema:
            return Account.objects.none()
        user = self.request.user
        if self.action == "list":
            q = _parsed(inputs.AccountFilterSerializer, self.request.query_params)
            return selectors.account_list(user, q.validated_data["q"]).order_by("name", "pk")
        return selectors.account_list(user).prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.order_by("name", "pk"),
                to_attr="candidate_list",
            )
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return AccountSerializer if self.action == "list" else AccountDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = self.get_object()
        account.filing_policy = workflow.filing_policy(account)
        return Response(self.get_serializer(account).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the people at the accounts you may see",
        parameters=[inputs.CandidateFilterSerializer],
        responses={200: CandidateSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Read a candidate",
        responses={200: CandidateSerializer, **error_responses(401, 404)},
    ),
)
class CandidateViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    serializer_class = CandidateSerializer
    queryset = Candidate.objects.none()

    def get_queryset(self) -> QuerySet[Candidate]:
        if self.is_schema:
            return Candidate.objects.none()
        qs = selectors.candidates_visible_to(self.request.user)
        if self.action == "list":
            data = _parsed(inputs.CandidateFilterSerializer, self.request.query_params)
            q = data.validated_data["q"].strip()
            if q:
                qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(title__icontains=q))
            if data.validated_data.get("account"):
                qs = qs.filter(account_id=data.validated_data["account"])
        return qs.order_by("name", "pk")


# --- Dashboard -------------------------------------------------------------------------------


class DashboardView(ApiView, GenericAPIView):
    permission_classes = [IsAuthenticated, IsManager]
    serializer_class = DashboardSerializer

    @extend_schema(
        summary="The dashboard's figures (managers)",
        description="The headline figures and the per-owner and per-team rows, for the same "
        "scope as the dashboard page: figures about now ignore the period, figures about "
        "flow count the requests filed in it. With DASHBOARD_TEAM_SCOPE on, a manager "
        "sees their own team.",
        tags=["dashboard"],
        parameters=[inputs.DashboardQuerySerializer],
        responses={200: DashboardSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = _parsed(inputs.DashboardQuerySerializer, request.query_params)
        # The page's own form applies the page's rules: the team a manager is locked to,
        # which teams and owners exist, the period's order and length.
        form = DashboardFilterForm(query.form_data(), user=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): [str(e) for e in errors]
                    for name, errors in form.errors.items()
                }
            )
        scope = form.scope()
        with dashboard.one_snapshot():
            people = dashboard.tables(scope)
        board = {
            "scope": scope,
            "total": people.total,
            "owners": people.owners,
            "teams": people.teams,
        }
        return Response(self.get_serializer(board).data)
