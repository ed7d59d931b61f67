"""Every state change of an interview request.

One function per transition (DESIGN.md, "The request lifecycle"). Each runs in one
transaction, locks the request row, checks the state and who acts, bumps `version`,
appends a `RequestEvent` and writes the notifications that follow. The system
transitions (deadline passed, deferral ended, reminders) are written once, for a batch
of rows; the per-request function is the same code applied to one id, so the minute job
and a manual call can never disagree about the rule.

Callers use this package's names (`workflow.request_defer(...)`); the modules behind it
are split by concern.
"""

from interviews.lifecycle import CLEARED_DEADLINES, TRANSITIONS
from interviews.workflow.accounts import (
    account_clear_sensitive,
    account_mark_sensitive,
    can_mark_sensitive,
)
from interviews.workflow.base import (
    overdue_q,
    reminder_due_q,
    wake_due_q,
    window_fields,
)
from interviews.workflow.comments import comment_add
from interviews.workflow.editing import EDITABLE_FIELDS, request_edit
from interviews.workflow.filing import (
    FilingPolicy,
    NewCandidate,
    filing_policy,
    request_file,
    response_deadline_preview,
)
from interviews.workflow.findings import (
    FINDING_STATUSES,
    FindingInput,
    finding_edit,
    findings_add,
)
from interviews.workflow.manager import (
    request_extend_deadline,
    request_force_switch,
    request_reassign_owner,
)
from interviews.workflow.outreach import (
    request_cancel,
    request_complete,
    request_customer_declined,
    request_schedule,
)
from interviews.workflow.owner import (
    deferral_range,
    request_decline,
    request_defer,
    request_owner_go_ahead,
    request_owner_will_reach_out,
)
from interviews.workflow.ownership import account_owner_changed
from interviews.workflow.sales_context import sales_context_add
from interviews.workflow.system import (
    request_switch_overdue,
    request_wake,
    send_reminders_batch,
    switch_overdue_batch,
    wake_batch,
)

__all__ = [
    "CLEARED_DEADLINES",
    "EDITABLE_FIELDS",
    "FINDING_STATUSES",
    "TRANSITIONS",
    "FilingPolicy",
    "FindingInput",
    "NewCandidate",
    "account_clear_sensitive",
    "account_mark_sensitive",
    "account_owner_changed",
    "can_mark_sensitive",
    "comment_add",
    "deferral_range",
    "filing_policy",
    "finding_edit",
    "findings_add",
    "overdue_q",
    "reminder_due_q",
    "request_cancel",
    "request_complete",
    "request_customer_declined",
    "request_decline",
    "request_defer",
    "request_edit",
    "request_extend_deadline",
    "request_file",
    "request_force_switch",
    "request_owner_go_ahead",
    "request_owner_will_reach_out",
    "request_reassign_owner",
    "request_schedule",
    "request_switch_overdue",
    "request_wake",
    "response_deadline_preview",
    "sales_context_add",
    "send_reminders_batch",
    "switch_overdue_batch",
    "wake_batch",
    "wake_due_q",
    "window_fields",
]
