"""CRM import for managers: upload, preview every row (a dry run), then confirm.

The uploaded file waits under var/imports/ between the preview and the confirmation,
named by a random id the confirmation form carries signed; the confirmation plans again
inside the transaction that writes, so what changed in between is taken into account.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interviews.crm_import.reading import UnreadableFile
from interviews.crm_import.service import can_import, run_import
from interviews.errors import WorkflowError
from interviews.forms.imports import ImportForm

SALT = "interviews.crm-import.v1"
PREVIEW_ROWS = 500


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
            upload_id = secrets.token_urlsafe(16)
            (_folder() / f"{upload_id}.csv").write_bytes(data)
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


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    _require(request)
    try:
        ticket = signing.loads(request.POST.get("ticket", ""), salt=SALT, max_age=60 * 60)
        path = _folder() / f"{ticket['id']}.csv"
        data = path.read_bytes()
    except (signing.BadSignature, KeyError, OSError):
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
    path.unlink(missing_ok=True)
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
