"""The request lifecycle as data: which states each action may start from, and what a
request forgets when it stops waiting (DESIGN.md, "The request lifecycle").

At the bottom of the layers so that the workflow (which applies it) and the permissions
(which offer only the actions the state allows) read one table.
"""

from __future__ import annotations

from typing import Any

from interviews.models import OPEN_STATUSES, WAITING_ON_OWNER_STATUSES, Status

# The allowed transitions, visible in one place; each workflow function checks its row.
TRANSITIONS: dict[str, tuple[Status, ...]] = {
    "owner_will_reach_out": (Status.AWAITING_OWNER,),
    "owner_go_ahead": (Status.AWAITING_OWNER,),
    "defer": (Status.AWAITING_OWNER,),
    "decline": (Status.AWAITING_OWNER,),
    "switch_overdue": WAITING_ON_OWNER_STATUSES,
    "wake": (Status.DEFERRED,),
    "schedule": (Status.OWNER_OUTREACH, Status.MARKETING_OUTREACH),
    "customer_declined": (Status.OWNER_OUTREACH, Status.MARKETING_OUTREACH),
    "complete": (Status.SCHEDULED,),
    "cancel": OPEN_STATUSES,
    "extend_deadline": WAITING_ON_OWNER_STATUSES,
    "reassign_owner": (Status.AWAITING_OWNER, Status.DEFERRED, Status.OWNER_OUTREACH),
    "force_switch": (Status.AWAITING_OWNER, Status.DEFERRED, Status.OWNER_OUTREACH),
    # Not a transition: the marketer may change what they asked for until the owner
    # answers (the owner should decide on what they will actually be asked).
    "edit": (Status.AWAITING_OWNER,),
}


# Deadlines a request no longer has once it stops waiting on the owner or closes.
CLEARED_DEADLINES: dict[str, Any] = {
    "response_due_at": None,
    "next_reminder_at": None,
    "deferred_until": None,
    "wake_at": None,
}
