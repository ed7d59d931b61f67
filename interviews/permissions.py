"""Who may do what, in one place (DESIGN.md, "Who may do what").

Views, email links and the workflow all ask these functions; the workflow asks again
so that no interface can skip a check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Department
from interviews.lifecycle import TRANSITIONS
from interviews.models import InterviewRequest, Outreach

if TYPE_CHECKING:
    from accounts.models import User


def is_manager(user: User) -> bool:
    return bool(user.is_active and (user.is_manager or user.is_superuser))


def is_marketer(user: User) -> bool:
    return bool(user.is_active and user.is_marketer)


def can_file(user: User) -> bool:
    return is_marketer(user) or is_manager(user)


def can_view(user: User, request: InterviewRequest) -> bool:
    if not user.is_active:
        return False
    return (
        is_marketer(user)
        or is_manager(user)
        or user.pk in (request.owner_id, request.owner_at_filing_id, request.requested_by_id)
    )


def can_decide(user: User, request: InterviewRequest) -> bool:
    """Answer for the owner: will reach out, go ahead, defer, decline."""
    return bool(user.is_active and (user.pk == request.owner_id or is_manager(user)))


def can_report_outreach(user: User, request: InterviewRequest) -> bool:
    """Record the customer's answer: scheduled or said no."""
    if is_marketer(user) or is_manager(user):
        return True
    return bool(
        user.is_active and request.outreach_by == Outreach.OWNER and user.pk == request.owner_id
    )


def can_complete(user: User, request: InterviewRequest) -> bool:
    return is_marketer(user) or is_manager(user)


def can_cancel(user: User, request: InterviewRequest) -> bool:
    return is_manager(user) or (is_marketer(user) and user.pk == request.requested_by_id)


def can_edit(user: User, request: InterviewRequest) -> bool:
    """Change what was asked (topic, questions, people): only the marketer who asked."""
    return is_marketer(user) and user.pk == request.requested_by_id


def can_comment(user: User, request: InterviewRequest) -> bool:
    """Anyone who may see the request may write on it: the two sides and managers."""
    return can_view(user, request)


def can_override_policy(user: User) -> bool:
    return is_manager(user)


def can_manage(user: User) -> bool:
    """Extend a deadline, reassign the owner, force the switch."""
    return is_manager(user)


# Which check guards each workflow action (keys of lifecycle.TRANSITIONS that people do).
_ACTION_CHECKS = {
    "owner_will_reach_out": can_decide,
    "owner_go_ahead": can_decide,
    "defer": can_decide,
    "decline": can_decide,
    "schedule": can_report_outreach,
    "customer_declined": can_report_outreach,
    "complete": can_complete,
    "cancel": can_cancel,
    "extend_deadline": lambda user, request: can_manage(user),
    "reassign_owner": lambda user, request: can_manage(user),
    "force_switch": lambda user, request: can_manage(user),
    "edit": can_edit,
}


def can(user: User, action: str, request: InterviewRequest) -> bool:
    """Whether this person may take this action on this request, its state aside.

    Pages answer 403 when this is false, and “no longer possible” when only the state
    stands in the way (someone else got there first)."""
    check = _ACTION_CHECKS.get(action)
    return bool(check and check(user, request))


def allowed_actions(user: User, request: InterviewRequest) -> frozenset[str]:
    """The actions this person may take on this request in its current state.

    Pages show exactly these; the workflow checks the same rules again on submit.
    """
    return frozenset(
        action
        for action, check in _ACTION_CHECKS.items()
        if request.status in TRANSITIONS[action] and check(user, request)
    )


# --- Findings: what interviews taught, for the people who sell ---------------------------


_FINDING_READERS = (Department.MARKETING, Department.SALES, Department.CUSTOMER_SUCCESS)


def can_read_findings(user: User) -> bool:
    """Sales, customer success, marketing and managers read the library."""
    return bool(user.is_active and (is_manager(user) or user.department in _FINDING_READERS))


def can_write_findings(user: User, request: InterviewRequest | None = None) -> bool:
    """Marketers (who ran the interview) and managers add and correct findings."""
    return is_marketer(user) or is_manager(user)


def can_share_context(user: User, request: InterviewRequest) -> bool:
    """The owner (now or at filing) or a manager may attach what sales already has."""
    return bool(
        user.is_active
        and (user.pk in (request.owner_id, request.owner_at_filing_id) or is_manager(user))
    )
