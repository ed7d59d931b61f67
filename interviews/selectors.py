"""Read-side queries for pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from interviews import permissions
from interviews.models import InterviewRequest, RequestEvent


def requests_visible_to(user: User) -> QuerySet[InterviewRequest]:
    qs = InterviewRequest.objects.select_related("account", "owner", "requested_by")
    if permissions.is_marketer(user) or permissions.is_manager(user):
        return qs
    return qs.filter(Q(owner=user) | Q(owner_at_filing=user) | Q(requested_by=user))


def timeline(request: InterviewRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("actor").order_by("created_at", "id")
