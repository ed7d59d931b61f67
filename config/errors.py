"""The site's answer to a bad request: the API's error body under /api/, Django's page
(templates/400.html once there is one) everywhere else."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from interviews.api.errors import error_body


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("parse_error", _("The request body could not be read.")), status=400
        )
    return defaults.bad_request(request, exception)
