"""The one entry point: read a file, plan it, and (unless it is a dry run) apply it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews import permissions
from interviews.crm_import import applying
from interviews.crm_import.layouts import REQUIRED, Kind, mapping_for
from interviews.crm_import.planning import PLANNERS, Plan
from interviews.crm_import.reading import read_rows
from interviews.errors import NotAllowed


def can_import(user: User) -> bool:
    return permissions.is_manager(user) or bool(user.is_active and user.is_superuser)


def plan_import(data: bytes, *, kind: Kind, layout: str, custom_mapping: str | None = None) -> Plan:
    mapping = mapping_for(layout, kind, custom_mapping)
    rows, encoding = read_rows(data, mapping, REQUIRED[kind])
    return Plan(kind=kind, encoding=encoding, outcomes=PLANNERS[kind](rows))


def run_import(
    data: bytes,
    *,
    kind: Kind,
    layout: str,
    by: User,
    custom_mapping: str | None = None,
    dry_run: bool = True,
) -> Plan:
    """Plan the import; unless `dry_run`, plan again inside one transaction (the data may
    have changed since the preview) and apply. Rejected rows are never written; the rest
    are, so importing the same file twice changes nothing the second time."""
    if not can_import(by):
        raise NotAllowed(_("Only managers and administrators can import CRM data."))
    if dry_run:
        return plan_import(data, kind=kind, layout=layout, custom_mapping=custom_mapping)
    with transaction.atomic():
        plan = plan_import(data, kind=kind, layout=layout, custom_mapping=custom_mapping)
        applying.apply(plan, by=by)
    return plan
