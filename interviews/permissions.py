"""Who may do what, in one place (DESIGN.md, "Who may do what").

Views, email links and the workflow all ask these functions; the workflow asks again
so that no interface can skip a check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def can_override_policy(user: User) -> bool:
    return is_manager(user)


def can_manage(user: User) -> bool:
    """Extend a deadline, reassign the owner, force the switch."""
    return is_manager(user)
