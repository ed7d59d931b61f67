"""The site's answers when something goes wrong: under /api/ the API's JSON error body
(also for an address that matches nothing there), everywhere else a page of ours in the
reader's language that says what happened and where to go (templates/<status>.html,
templates/403_csrf.html), within the CSP like every page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from config.observability import request_id
from interviews.api.errors import error_body


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A body that cannot be decoded is refused before LocaleMiddleware runs: take the
    # language the browser (or the language cookie) asks for.
    with translation.override(getattr(request, "LANGUAGE_CODE", None) or _language(request)):
        if _is_api(request):
            return _json("parse_error", _("The request body could not be read."), 400)
        return defaults.bad_request(request, exception)


def _language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json("not_allowed", _("You may not do this."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json("not_found", _("Not found."), 404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors (they may be what failed), with
    the id the logs carry so support can find what happened."""
    if _is_api(request):
        return _json("server_error", _("Something went wrong on our side."), 500)
    body = loader.get_template("500.html").render({"request_id": request_id.get()})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (a page open for too long, cookies off)."""
    if _is_api(request):
        return _json("csrf_failed", _("The security check failed; send the request again."), 403)
    body = loader.get_template("403_csrf.html").render({"reason": reason}, request)
    return HttpResponse(body, status=403)
