"""Which export column holds which field, per CRM and per kind of file.

The column names are those of a Salesforce report export (related fields appear as
"Account Owner: Email") and of HubSpot's object exports. A custom mapping (JSON object
{"field": "Column name"}) covers anything else; see the README for the table.
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviews import json_depth
from interviews.presenters import join_list

Kind = Literal["accounts", "owners", "contacts"]
KINDS: tuple[Kind, ...] = ("accounts", "owners", "contacts")

# Fields each kind needs (the rest are optional).
REQUIRED: dict[Kind, tuple[str, ...]] = {
    "accounts": ("crm_id", "name", "owner_email"),
    "owners": ("email", "name", "department"),
    "contacts": ("crm_id", "account_crm_id", "name"),
}
FIELDS: dict[Kind, tuple[str, ...]] = {
    "accounts": ("crm_id", "name", "domain", "owner_email", "owner_role", "industry"),
    "owners": ("email", "name", "department", "manager_email"),
    "contacts": ("crm_id", "account_crm_id", "name", "email", "title"),
}

# How fields are named to people (rejection reasons, mapping errors).
FIELD_LABELS = {
    "crm_id": gettext_lazy("CRM id"),
    "name": gettext_lazy("name"),
    "domain": gettext_lazy("domain"),
    "owner_email": gettext_lazy("owner email"),
    "owner_role": gettext_lazy("owner role"),
    "email": gettext_lazy("email"),
    "department": gettext_lazy("department"),
    "manager_email": gettext_lazy("manager email"),
    "account_crm_id": gettext_lazy("account CRM id"),
    "title": gettext_lazy("title"),
    "industry": gettext_lazy("industry"),
}

LAYOUTS: dict[str, dict[Kind, dict[str, str | tuple[str, str]]]] = {
    "salesforce": {
        "accounts": {
            "crm_id": "Account ID",
            "name": "Account Name",
            "domain": "Website",
            "owner_email": "Account Owner: Email",
            "owner_role": "Account Owner: Role",
            "industry": "Industry",
        },
        "owners": {
            "email": "Email",
            "name": "Full Name",
            "department": "Department",
            "manager_email": "Manager: Email",
        },
        "contacts": {
            "crm_id": "Contact ID",
            "account_crm_id": "Account ID",
            "name": "Full Name",
            "email": "Email",
            "title": "Title",
        },
    },
    "hubspot": {
        "accounts": {
            "crm_id": "Record ID",
            "name": "Company name",
            "domain": "Company Domain Name",
            "owner_email": "Company owner email",
            "owner_role": "Company owner team",
            "industry": "Industry",
        },
        "owners": {
            "email": "Email",
            # HubSpot splits names; joined as "First Last" (or family name first for
            # Japanese names, which exports carry in the order the CRM shows them).
            "name": ("First Name", "Last Name"),
            "department": "Team",
            "manager_email": "Manager email",
        },
        "contacts": {
            "crm_id": "Record ID",
            "account_crm_id": "Associated Company ID",
            "name": ("First Name", "Last Name"),
            "email": "Email",
            "title": "Job Title",
        },
    },
}


def mapping_for(
    layout: str, kind: Kind, custom: str | None = None
) -> dict[str, str | tuple[str, str]]:
    """The column mapping to use; `custom` is a JSON object {"field": "Column"} for layout
    "custom", or overrides on top of a known layout."""
    if layout not in (*LAYOUTS, "custom"):
        raise ValueError(
            _("Unknown layout %(layout)s: use salesforce, hubspot or custom.") % {"layout": layout}
        )
    mapping: dict[str, str | tuple[str, str]] = dict(LAYOUTS.get(layout, {}).get(kind, {}))
    if custom:
        try:
            overrides = json_depth.loads(custom)
        except ValueError:  # not JSON, or nested past any mapping
            overrides = None
        if not isinstance(overrides, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in overrides.items()
        ):
            raise ValueError(_('A custom mapping is a JSON object such as {"name": "Company"}.'))
        unknown = set(overrides) - set(FIELDS[kind])
        if unknown:
            raise ValueError(
                _("Unknown fields for %(kind)s: %(fields)s.")
                % {"kind": kind, "fields": join_list(sorted(unknown))}
            )
        mapping.update(overrides)
    missing = [f for f in REQUIRED[kind] if f not in mapping]
    if missing:
        raise ValueError(
            _("The mapping for %(kind)s lacks: %(fields)s.")
            % {"kind": kind, "fields": join_list(FIELD_LABELS[f] for f in missing)}
        )
    return mapping
