"""An owner pauses interview requests for one of their accounts (sensitive until a date)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from interviews import calendar, permissions
from interviews.errors import InvalidInput, NotAllowed
from interviews.workflow.base import _clean_reason, _now

# A pause longer than this is a decision for an administrator, not a button.
MAX_PAUSE_DAYS = 366


def can_mark_sensitive(user: User, account: Account) -> bool:
    return bool(user.is_active and (user.pk == account.owner_id or permissions.is_manager(user)))


@transaction.atomic
def account_mark_sensitive(
    *,
    account_id: int,
    by: User,
    until: dt.date,
    reason: str,
    now: dt.datetime | None = None,
) -> Account:
    """No new requests for this account until `until` (inclusive); requests already open
    go on. The reason is shown to marketers who try to file."""
    now = _now(now)
    account = Account.objects.select_for_update().get(pk=account_id)
    if not can_mark_sensitive(by, account):
        raise NotAllowed(_("Only the account's owner or a manager can pause requests for it."))
    today = calendar.business_date(now)
    if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
        raise InvalidInput(_("Please give a date."), field="pause_account_until")
    if until <= today or until > today + dt.timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidInput(
            _("Please choose a date after today and within a year."), field="pause_account_until"
        )
    account.sensitive_until = until
    account.sensitive_reason = _clean_reason(reason, field="sensitive_reason")
    account.save(update_fields=["sensitive_until", "sensitive_reason", "updated_at"])
    return account


@transaction.atomic
def account_clear_sensitive(*, account_id: int, by: User) -> Account:
    account = Account.objects.select_for_update().get(pk=account_id)
    if not can_mark_sensitive(by, account):
        raise NotAllowed(_("Only the account's owner or a manager can pause requests for it."))
    account.sensitive_until = None
    account.sensitive_reason = ""
    account.save(update_fields=["sensitive_until", "sensitive_reason", "updated_at"])
    return account
