"""One error body for the whole API.

    {"code": "stale_version", "detail": "The request changed since ...", "field": null,
     "context": {"status": "marketing_outreach", "request_id": 12}}

Clients branch on `code` (stable), show `detail` to a person (translated), and point at
`field` when it names one. Workflow refusals keep their domain code (`not_allowed`,
`invalid_input`, `invalid_transition`, `stale_version`, `open_request`, `sensitive`,
`cooldown`, `no_owner`) and their context; framework errors get DRF's code
(`not_authenticated`, `not_found`, `parse_error`, ...). Validation errors also carry every
message by field in `errors`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from interviews.errors import (
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    PolicyViolation,
    WorkflowError,
)

# The HTTP status of each kind of workflow refusal (subclasses before their bases).
_STATUS_BY_ERROR: tuple[tuple[type[WorkflowError], int], ...] = (
    (NotAllowed, 403),
    (InvalidInput, 400),
    # The request moved on (someone else acted, the deadline passed, an old version):
    # the client should read it again, not retry blindly.
    (InvalidTransition, 409),
    # Filing refused by the agreed policy: the account's state stands in the way.
    (PolicyViolation, 409),
)

# Workflow field names (the web form's) that the API spells differently.
_FIELD_ALIASES = {
    "new_candidate_name": "new_candidates",
    "new_candidate_email": "new_candidates",
}

VALIDATION_CODE = "invalid_input"  # the same code as the workflow's InvalidInput


def status_for(error: WorkflowError) -> int:
    for error_class, status in _STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return 400


def error_body(
    code: str,
    detail: Any,
    field: str | None = None,
    *,
    errors: Any = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": str(detail), "field": field}
    if errors is not None:
        body["errors"] = errors
    if context:
        # Dates, lazy translations and enum values as JSON would write them.
        body["context"] = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    return body


def _first_error(detail: Any, path: tuple[str, ...] = ()) -> tuple[str | None, Any]:
    """The first message in a DRF error structure and the dotted path of its field."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key == "non_field_errors" else str(key)
            return _first_error(value, (*path, name) if name else path)
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if value in ({}, [], ""):  # an item of a list that had no error
                continue
            nested = isinstance(value, dict | list)
            return _first_error(value, (*path, str(index)) if nested else path)
    return (".".join(path) or None), detail


def _workflow_response(error: WorkflowError) -> Response:
    field = getattr(error, "field", None)
    body = error_body(
        error.code, error, _FIELD_ALIASES.get(field, field), context=dict(error.context)
    )
    set_rollback()
    return Response(body, status=status_for(error))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error reshaped into the body above."""
    if isinstance(exc, WorkflowError):
        return _workflow_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args, code="not_allowed")
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        response.data = error_body(VALIDATION_CODE, message, field, errors=exc.detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(code, exc.detail)
    return response


# --- The body in the schema ------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code.")
    detail = serializers.CharField(help_text="What went wrong, for a person (translated).")
    field = serializers.CharField(
        allow_null=True, help_text="The request field at fault (dotted for nested), if any."
    )
    errors = serializers.JSONField(
        required=False, help_text="Validation errors only: every message by field."
    )
    context = serializers.DictField(
        required=False,
        help_text="Workflow errors only: e.g. the request's `status` now, `open_request_id`.",
    )


_DESCRIPTIONS = {
    400: "Invalid input (`invalid_input`); `field` names the field at fault.",
    401: "No credentials, or an unknown token (`not_authenticated`, `authentication_failed`).",
    403: (
        "Your role may not do this (`not_allowed`), or a signed-in browser sent no CSRF "
        "token (`permission_denied`)."
    ),
    404: "Not found, or not visible to you (`not_found`).",
    409: (
        "The request is no longer in a state where this applies (`invalid_transition`), "
        "changed since the version you sent (`stale_version`), or the agreed policy refuses "
        "it (`open_request`, `sensitive`, `cooldown`, `no_owner`). Read it again."
    ),
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Documented error responses for an operation."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[status])
        for status in statuses
    }
