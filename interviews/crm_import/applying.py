"""Writing a plan: one transaction, bulk inserts and updates, and the requests of accounts
that changed hands moved to their new owners through the workflow."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from interviews import workflow
from interviews.crm_import.planning import Outcome, Plan, _users_by_email
from interviews.models import Candidate

BATCH = 2000


def _of(plan: Plan, action: str) -> list[Outcome]:
    return [o for o in plan.outcomes if o.action == action]


def _apply_accounts(plan: Plan, by: User, now: dt.datetime) -> None:
    Account.objects.bulk_create(
        [Account(crm_id=o.key, **o.values) for o in _of(plan, "create")], batch_size=BATCH
    )
    updated = []
    for o in _of(plan, "update"):
        for name, (_old, new) in o.changes.items():
            setattr(o.existing, name, new)
        o.existing.updated_at = now
        updated.append(o.existing)
    Account.objects.bulk_update(
        updated, ["name", "domain", "industry", "owner", "updated_at"], batch_size=BATCH
    )
    for o in plan.owner_changes:
        workflow.account_owner_changed(
            account_id=o.existing.pk,
            new_owner=o.values["owner"],
            by=by,
            reason=str(_("The account's owner changed in the CRM.")),
            now=now,
        )


def _apply_owners(plan: Plan) -> None:
    unusable = make_password(None)  # owners answer from email links; they may reset a password
    User.objects.bulk_create(
        [
            User(
                email=o.key,
                password=unusable,
                language=settings.LANGUAGE_CODE,
                time_zone=settings.TIME_ZONE,
                **o.values,
            )
            for o in _of(plan, "create")
        ],
        batch_size=BATCH,
    )
    # Managers may be created by this same file: resolve them now that everyone exists.
    wanted = [o for o in plan.outcomes if o.action in ("create", "update")]
    people = _users_by_email([o.key for o in wanted] + [o.manager_email for o in wanted])
    changed = []
    for o in wanted:
        user = people[o.key]
        for name in ("name", "department"):
            setattr(user, name, o.values[name])
        if o.manager_email:
            user.reports_to = people[o.manager_email]
        changed.append(user)
    User.objects.bulk_update(changed, ["name", "department", "reports_to"], batch_size=BATCH)


def _apply_contacts(plan: Plan) -> None:
    Candidate.objects.bulk_create(
        [Candidate(crm_id=o.key, **o.values) for o in _of(plan, "create")], batch_size=BATCH
    )
    updated = []
    for o in _of(plan, "update"):
        for name, (_old, new) in o.changes.items():
            setattr(o.existing, name, new)
        updated.append(o.existing)
    Candidate.objects.bulk_update(updated, ["account", "name", "email", "title"], batch_size=BATCH)


@transaction.atomic
def apply(plan: Plan, *, by: User, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    {
        "accounts": lambda: _apply_accounts(plan, by, now),
        "owners": lambda: _apply_owners(plan),
        "contacts": lambda: _apply_contacts(plan),
    }[plan.kind]()
