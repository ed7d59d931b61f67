"""The dry run: what importing a file would do, row by row, before anything is written.

Existing records are loaded in a few queries (by CRM id or email), so planning 50k rows
costs a handful of round trips, not one per row.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import OWNER_DEPARTMENTS, Account, Department, User
from interviews.crm_import.layouts import FIELD_LABELS, Kind
from interviews.crm_import.reading import Row
from interviews.models import OPEN_STATUSES, Candidate, InterviewRequest

Action = Literal["create", "update", "unchanged", "reject"]
CHUNK = 5000  # SQLite allows a limited number of parameters per query

# What CRMs put in a department or team column, in English and Japanese.
DEPARTMENTS = {
    "sales": Department.SALES,
    "営業": Department.SALES,
    "営業部": Department.SALES,
    "account executive": Department.SALES,
    "customer success": Department.CUSTOMER_SUCCESS,
    "customer_success": Department.CUSTOMER_SUCCESS,
    "cs": Department.CUSTOMER_SUCCESS,
    "csm": Department.CUSTOMER_SUCCESS,
    "カスタマーサクセス": Department.CUSTOMER_SUCCESS,
    "marketing": Department.MARKETING,
    "マーケティング": Department.MARKETING,
    "other": Department.OTHER,
}


@dataclasses.dataclass
class Outcome:
    line: int
    key: str
    action: Action
    changes: dict[str, tuple[Any, Any]] = dataclasses.field(default_factory=dict)
    reasons: list[str] = dataclasses.field(default_factory=list)
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    existing: Any = None
    # Resolved when applying (an owner's manager may be created by the same file).
    manager_email: str = ""


@dataclasses.dataclass
class Plan:
    kind: Kind
    encoding: str
    outcomes: list[Outcome]

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(o.action for o in self.outcomes)
        return {a: counts.get(a, 0) for a in ("create", "update", "unchanged", "reject")}

    @property
    def owner_changes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "update" and "owner" in o.changes]


def _searchable(value: str) -> bool:
    # PostgreSQL refuses NUL even in a query's parameters; rows holding one are rejected.
    return "\x00" not in value


def _chunks(values: list[str]) -> Iterable[list[str]]:
    values = [v for v in values if _searchable(v)]
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _users_by_email(emails: Iterable[str]) -> dict[str, User]:
    wanted = sorted({e.lower() for e in emails if e})
    found: dict[str, User] = {}
    for chunk in _chunks(wanted):
        for user in User.objects.filter(email__in=chunk).select_related("reports_to"):
            found[user.email] = user
    return found


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def normalise_domain(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    return host.removeprefix("www.")


def _duplicates(rows: list[Row], field: str) -> dict[str, int]:
    """Key -> the first line it appeared on, for keys that appear again."""
    first: dict[str, int] = {}
    repeated: dict[str, int] = {}
    for row in rows:
        key = row.values.get(field, "").strip().lower()
        if not key:
            continue
        if key in first:
            repeated[key] = first[key]
        else:
            first[key] = row.line
    return repeated


def _missing(row: Row, required: tuple[str, ...]) -> list[str]:
    return [
        _("missing %(field)s") % {"field": FIELD_LABELS[field]}
        for field in required
        if not row.values.get(field)
    ]


# Keys and addresses longer than their columns are refused, not cut: a cut id or address
# would name someone else. (PostgreSQL refuses them at the write, SQLite stores them; the
# preview refuses them on both, so the confirmation never fails on what it accepted.)
_EMAIL_LENGTH = User._meta.get_field("email").max_length
MAX_LENGTHS = {
    "crm_id": Account._meta.get_field("crm_id").max_length,
    "account_crm_id": Account._meta.get_field("crm_id").max_length,
    "email": _EMAIL_LENGTH,
    "owner_email": _EMAIL_LENGTH,
    "manager_email": _EMAIL_LENGTH,
}
DOMAIN_LENGTH = Account._meta.get_field("domain").max_length


def _defects(row: Row) -> list[str]:
    """What no field of any kind may hold."""
    reasons = []
    for field, value in row.values.items():
        label = FIELD_LABELS[field]
        if "\x00" in value:
            # A database text column cannot hold it (PostgreSQL refuses it).
            reasons.append(_("the %(field)s contains a NUL character") % {"field": label})
        limit = MAX_LENGTHS.get(field)
        if limit is not None and len(value) > limit:
            reasons.append(
                _("the %(field)s is longer than %(limit)d characters")
                % {"field": label, "limit": limit}
            )
    return reasons


def _domain(value: str, reasons: list[str]) -> str:
    try:
        domain = normalise_domain(value)
    except ValueError:  # e.g. "http://[::1": not a web address at all
        domain = ""
        reasons.append(_("the domain %(value)s is not a web address") % {"value": value[:100]})
    if len(domain) > DOMAIN_LENGTH:
        reasons.append(
            _("the %(field)s is longer than %(limit)d characters")
            % {"field": FIELD_LABELS["domain"], "limit": DOMAIN_LENGTH}
        )
    return domain


def _diff(existing: Any, wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(existing, name), value)
        for name, value in wanted.items()
        if getattr(existing, name) != value
    }


def plan_accounts(rows: list[Row]) -> list[Outcome]:
    repeated = _duplicates(rows, "crm_id")
    existing: dict[str, Account] = {}
    for chunk in _chunks(sorted({r.values["crm_id"] for r in rows if r.values["crm_id"]})):
        for account in Account.objects.filter(crm_id__in=chunk).select_related("owner"):
            existing[account.crm_id] = account
    owners = _users_by_email(r.values["owner_email"] for r in rows)
    seen: set[str] = set()
    outcomes = []
    for row in rows:
        v = row.values
        key = v["crm_id"]
        reasons = _missing(row, ("crm_id", "name", "owner_email")) + _defects(row)
        if key and key.lower() in repeated and key.lower() in seen:
            reasons.append(
                _("duplicate CRM id %(id)s, first on line %(line)d")
                % {"id": key, "line": repeated[key.lower()]}
            )
        seen.add(key.lower())
        owner = None
        email = v["owner_email"].lower()
        if email and not _is_email(email):
            reasons.append(
                _("owner email %(email)s is not an email address") % {"email": v["owner_email"]}
            )
        elif email:
            owner = owners.get(email)
            if owner is None:
                reasons.append(
                    _("unknown owner %(email)s (import owners first)") % {"email": email}
                )
            elif owner.department not in OWNER_DEPARTMENTS or not owner.is_active:
                reasons.append(
                    _("owner %(email)s is not an active sales or customer-success user")
                    % {"email": email}
                )
        wanted = {
            "name": v["name"][:200],
            "domain": _domain(v.get("domain", ""), reasons),
            "owner": owner,
        }
        # An export without the column leaves the industry we have alone.
        if v.get("industry", "").strip():
            wanted["industry"] = " ".join(v["industry"].split())[:100]
        outcomes.append(_outcome(row, key, reasons, existing.get(key), wanted))
    return outcomes


def plan_owners(rows: list[Row]) -> list[Outcome]:
    repeated = _duplicates(rows, "email")
    emails = [r.values["email"] for r in rows] + [r.values.get("manager_email", "") for r in rows]
    existing = _users_by_email(emails)
    in_file = {r.values["email"].lower() for r in rows if r.values["email"]}
    owning = Counter(
        Account.objects.filter(owner__email__in=[e for e in in_file if _searchable(e)]).values_list(
            "owner__email", flat=True
        )
    )
    seen: set[str] = set()
    outcomes = []
    for row in rows:
        v = row.values
        email = v["email"].lower()
        reasons = _missing(row, ("email", "name", "department")) + _defects(row)
        if email and not _is_email(email):
            reasons.append(_("%(email)s is not an email address") % {"email": v["email"]})
        if email in repeated and email in seen:
            reasons.append(_("duplicate email, first on line %(line)d") % {"line": repeated[email]})
        seen.add(email)
        department = DEPARTMENTS.get(v["department"].strip().lower()) if v["department"] else None
        if v["department"] and department is None:
            reasons.append(_("unknown department %(value)s") % {"value": v["department"]})
        manager_email = v.get("manager_email", "").lower()
        manager = existing.get(manager_email)
        if manager_email and manager is None and manager_email not in in_file:
            reasons.append(_("unknown manager %(email)s") % {"email": manager_email})
        current = existing.get(email)
        if (
            current is not None
            and department not in OWNER_DEPARTMENTS
            and owning.get(email)
            and department is not None
        ):
            reasons.append(
                _("still owns %(count)d accounts: give them to someone else first")
                % {"count": owning[email]}
            )
        wanted = {"name": v["name"][:150], "department": department}
        outcome = _outcome(row, email, reasons, current, wanted)
        outcome.manager_email = manager_email
        current_manager = current.reports_to.email if current and current.reports_to else None
        if (
            outcome.action in ("update", "unchanged")
            and manager_email
            and manager_email != current_manager
        ):
            outcome.changes["reports_to"] = (current_manager, manager_email)
            outcome.action = "update"
        outcomes.append(outcome)
    _reject_reports_of_rejected_managers(outcomes, existing)
    return outcomes


def _reject_reports_of_rejected_managers(outcomes: list[Outcome], existing: dict) -> None:
    """A manager who is new in this file exists after the import only if their own line
    is imported. Whoever reports to a manager whose line is refused is refused too, and so
    on up a chain (each round refuses at least one more line, or stops)."""
    lines: dict[str, int] = {}
    for o in outcomes:
        lines.setdefault(o.key, o.line)
    while True:
        imported = {o.key for o in outcomes if o.action != "reject"}
        missing = [
            (index, o)
            for index, o in enumerate(outcomes)
            if o.action != "reject"
            and o.manager_email
            and o.manager_email not in existing
            and o.manager_email not in imported
        ]
        if not missing:
            return
        for index, o in missing:
            reason = _("manager %(email)s is not imported: see line %(line)d") % {
                "email": o.manager_email,
                "line": lines[o.manager_email],
            }
            outcomes[index] = Outcome(
                o.line, o.key, "reject", reasons=[reason], manager_email=o.manager_email
            )


def plan_contacts(rows: list[Row]) -> list[Outcome]:
    repeated = _duplicates(rows, "crm_id")
    accounts: dict[str, Account] = {}
    for chunk in _chunks(
        sorted({r.values["account_crm_id"] for r in rows if r.values["account_crm_id"]})
    ):
        for account in Account.objects.filter(crm_id__in=chunk):
            accounts[account.crm_id] = account
    existing: dict[str, Candidate] = {}
    for chunk in _chunks(sorted({r.values["crm_id"] for r in rows if r.values["crm_id"]})):
        for candidate in Candidate.objects.filter(crm_id__in=chunk):
            existing[candidate.crm_id] = candidate
    emails_per_account: Counter[tuple[str, str]] = Counter()
    seen: set[str] = set()
    outcomes = []
    for row in rows:
        v = row.values
        key = v["crm_id"]
        reasons = _missing(row, ("crm_id", "account_crm_id", "name")) + _defects(row)
        if key.lower() in repeated and key.lower() in seen:
            reasons.append(
                _("duplicate CRM id %(id)s, first on line %(line)d")
                % {"id": key, "line": repeated[key.lower()]}
            )
        seen.add(key.lower())
        account = accounts.get(v["account_crm_id"])
        if v["account_crm_id"] and account is None:
            reasons.append(
                _("unknown account %(id)s (import accounts first)") % {"id": v["account_crm_id"]}
            )
        email = v.get("email", "").lower()
        if email and not _is_email(email):
            reasons.append(_("%(email)s is not an email address") % {"email": v["email"]})
        elif email:
            emails_per_account[(v["account_crm_id"], email)] += 1
            if emails_per_account[(v["account_crm_id"], email)] > 1:
                reasons.append(_("the same email appears twice for this account"))
        wanted = {
            "account": account,
            "name": v["name"][:150],
            "email": email,
            "title": v.get("title", "")[:150],
        }
        outcomes.append(_outcome(row, key, reasons, existing.get(key), wanted))
    return outcomes


def _outcome(
    row: Row, key: str, reasons: list[str], existing: Any, wanted: dict[str, Any]
) -> Outcome:
    if reasons:
        return Outcome(row.line, key, "reject", reasons=reasons)
    if existing is None:
        return Outcome(row.line, key, "create", values=wanted)
    changes = _diff(existing, wanted)
    return Outcome(
        row.line,
        key,
        "update" if changes else "unchanged",
        changes,
        values=wanted,
        existing=existing,
    )


PLANNERS = {"accounts": plan_accounts, "owners": plan_owners, "contacts": plan_contacts}


def open_request_counts(account_ids: list[int]) -> dict[int, int]:
    return Counter(
        InterviewRequest.objects.filter(
            account_id__in=account_ids, status__in=OPEN_STATUSES
        ).values_list("account_id", flat=True)
    )
