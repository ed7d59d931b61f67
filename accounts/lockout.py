"""Pausing password guessing on every sign-in path, through django-axes.

Failures are counted where credentials are checked: Django's `authenticate()` announces
every failure (`user_login_failed`), whichever page called it — the sign-in page, the
admin's, or any later one — and axes' backend refuses to check a password while the
account or the address is paused. So all paths share one count.

Attempts are kept in the database (axes' database handler), not in the cache: sign-in
stays guarded while Redis is down, and each attempt is visible in the admin under
*Axes*. Two limits apply at once, each with its own threshold:
LOGIN_ATTEMPTS_PER_ACCOUNT failures for one account (from anywhere), and
LOGIN_ATTEMPTS_PER_IP failures from one address (on any accounts). A pause lasts
LOGIN_LOCKOUT_MINUTES after the last failure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

from config.ratelimit import too_many_requests

_STORED_NAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def _limit_of(parameter: str) -> int:
    if parameter == "username":
        return settings.LOGIN_ATTEMPTS_PER_ACCOUNT
    return settings.LOGIN_ATTEMPTS_PER_IP


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    # Read at each call, so that a changed setting applies at once.
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, as we store it: email addresses are matched in any
    case, so `Sato@Example.com` and `sato@example.com` count against one account.

    Cut to what the record of attempts holds: lower case can be longer than the name
    typed ("İ" is two characters in lower case), past the form's own limit."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None:
        return None
    return str(value).strip().lower()[:_STORED_NAME_LENGTH]


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """The threshold of the count that is closest to its own (see `get_failures`)."""
    return getattr(request, "sign_in_failure_limit", settings.LOGIN_ATTEMPTS_PER_ACCOUNT)


class SignInLockout(AxesDatabaseHandler):
    """Axes' database handler with a threshold per count instead of one for all.

    Axes compares `get_failures()` with `failure_limit()` right after calling it; this
    returns the count that is nearest its own threshold and leaves that threshold on the
    request, so the comparison axes makes is "has any count reached its limit"."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        closest: tuple[int, int, int] | None = None  # (left before the limit, failures, limit)
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS,
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            limit = _limit_of(parameter)
            candidate = (limit - failures, failures, limit)
            if closest is None or candidate < closest:
                closest = candidate
        assert closest is not None
        request.sign_in_failure_limit = closest[2]
        return closest[1]

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        # A right password clears that account's failures (as before axes), but not the
        # address's: signing in to one account must not reset guessing at others.
        AccessAttempt.objects.filter(username=user.get_username().lower()).delete()


def lockout_response(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None = None
) -> HttpResponse:
    """What a paused sign-in gets. A sign-in form already says so in the person's language
    (`LockoutMessageMixin`): keep its page. Anything else gets the 429 page."""
    if response is not None and getattr(request, "sign_in_lockout_explained", False):
        return response
    return too_many_requests(request, None)
