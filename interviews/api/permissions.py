"""The web UI's role checks (`interviews.permissions`) as DRF permission classes.

Every endpoint also requires a signed-in user (the default `IsAuthenticated`): without
credentials the answer is 401, with credentials but the wrong role 403. What a person
may *see* is narrowed by the selectors (a request they may not see is a 404, as on the
web); what they may *do* to a request is checked by the action views and again by the
workflow.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from interviews import permissions


class IsManager(BasePermission):
    """The dashboard: managers (and administrators) only."""

    message = _("Only managers can see this.")
    code = "not_allowed"

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and permissions.is_manager(request.user))


class CanFileWhenPosting(BasePermission):
    """Anyone signed in may read requests; only marketers and managers file them."""

    message = _("Only marketers and managers can file interview requests.")
    code = "not_allowed"

    def has_permission(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return bool(request.user.is_authenticated and permissions.can_file(request.user))
