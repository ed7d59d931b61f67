"""CRM import for managers: upload, preview every row (a dry run), then confirm or cancel.

The uploaded file waits under var/imports/ between the preview and the confirmation
(crm_import/uploads.py), named by a random id the confirmation form carries signed; the
confirmation plans again inside the transaction that writes, so what changed in between
is taken into account. Confirming or cancelling deletes the file.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interviews.crm_import import uploads
from interviews.crm_import.reading import UnreadableFile
from interviews.crm_import.service import can_import, run_import
from interviews.errors import WorkflowError
from interviews.forms.imports import ImportForm

SALT = "interviews.crm-import.v1"
PREVIEW_ROWS = 500
TICKET_MAX_AGE = 60 * 60

logger = logging.getLogger(__name__)


def _require(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        options = {k: form.cleaned_data[k] for k in ("kind", "layout", "mapping")}
        try:
            plan = run_import(
                data,
                kind=options["kind"],
                layout=options["layout"],
                custom_mapping=options["mapping"] or None,
                by=request.user,
                dry_run=True,
            )
        except (UnreadableFile, ValueError, WorkflowError) as error:
            form.add_error(None, str(error))
        else:
            upload_id = uploads.save(data)
            ticket = signing.dumps({"id": upload_id, **options}, salt=SALT)
            return render(
                request,
                "imports/preview.html",
                {
                    "plan": plan,
                    "rows": plan.outcomes[:PREVIEW_ROWS],
                    "more": max(0, len(plan.outcomes) - PREVIEW_ROWS),
                    "ticket": ticket,
                    "options": options,
                },
            )
    return render(request, "imports/upload.html", {"form": form})


def _ticket(request: HttpRequest) -> dict | None:
    try:
        ticket = signing.loads(request.POST.get("ticket", ""), salt=SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    return ticket if isinstance(ticket, dict) and "id" in ticket else None


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    _require(request)
    ticket = _ticket(request)
    try:
        data = uploads.read(ticket["id"]) if ticket else None
    except OSError:
        data = None
    if data is None:
        messages.error(
            request, _("This preview has expired or was already imported: upload the file again.")
        )
        return redirect("crm_import")
    try:
        plan = run_import(
            data,
            kind=ticket["kind"],
            layout=ticket["layout"],
            custom_mapping=ticket["mapping"] or None,
            by=request.user,
            dry_run=False,
        )
    except (UnreadableFile, ValueError, WorkflowError) as error:
        messages.error(request, str(error))
        return redirect("crm_import")
    except DatabaseError:
        # The preview refuses whatever the database would (NUL, lengths): reaching this
        # means a rule the preview lacks. Nothing was written; say so and log it.
        logger.exception("CRM import failed at the write after its preview accepted it")
        messages.error(
            request,
            _(
                "The import could not be written and nothing was imported. "
                "Please upload the file again."
            ),
        )
        return redirect("crm_import")
    finally:
        # Confirmed, or failed for good: the file's work is done either way.
        uploads.discard(ticket["id"])
    counts = plan.counts
    messages.success(
        request,
        _(
            "Imported: %(create)d created, %(update)d updated, %(unchanged)d unchanged, "
            "%(reject)d rejected; %(moved)d account(s) changed owner."
        )
        % {**counts, "moved": len(plan.owner_changes)},
    )
    return redirect("crm_import")


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Cancelling a preview deletes its file at once."""
    _require(request)
    ticket = _ticket(request)
    if ticket is not None:
        uploads.discard(ticket["id"])
    messages.info(request, _("Import cancelled: nothing was imported."))
    return redirect("crm_import")
