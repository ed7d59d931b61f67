"""How long the sign-in audit is kept.

django-axes records every sign-in (who, from which address, when) and, where enabled,
every failure. That is personal data kept for an audit, not forever: records older than
SIGN_IN_LOG_RETENTION_DAYS are deleted. Attempts still counting towards a pause are axes'
own `AccessAttempt` rows, which expire with the pause; they are not touched here.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings


def prune() -> int:
    """Delete access and failure logs past the retention period; return how many."""
    days = settings.SIGN_IN_LOG_RETENTION_DAYS
    return AxesProxyHandler.reset_logs(age_days=days) + AxesProxyHandler.reset_failure_logs(
        age_days=days
    )
