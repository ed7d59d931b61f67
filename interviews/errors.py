"""Domain errors raised by the workflow.

Each carries a stable `code` (for views, email links and the API to branch on) and a
translated message a person can read. None of them is ever a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class WorkflowError(Exception):
    code = "workflow_error"

    def __init__(self, message: str | Promise, *, code: str | None = None, **context: Any) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.context = context

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(WorkflowError):
    """The person may not do this to this request."""

    code = "not_allowed"


class InvalidTransition(WorkflowError):
    """The request is no longer in a state where this applies (someone or the deadline
    got there first). `context["status"]` is the state it is in now."""

    code = "invalid_transition"


class StaleVersion(InvalidTransition):
    """The request changed since the person looked at it (an old email link)."""

    code = "stale_version"


class PolicyViolation(WorkflowError):
    """Filing refused by the agreed policy: sensitive account, open request, cooldown."""

    code = "policy"


class InvalidInput(WorkflowError):
    """A value the workflow cannot accept; `field` names it for forms."""

    code = "invalid_input"

    def __init__(self, message: str | Promise, *, field: str | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.field = field
