"""Slowing down password guessing: failed sign-ins are counted per account and per
address in the shared cache; past the limit, sign-in pauses for that account or address
until the window ends, with a message that says so."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    return [
        (_key("account", username), settings.LOGIN_ATTEMPTS_PER_ACCOUNT),
        (_key("ip", request.META.get("REMOTE_ADDR", "")), settings.LOGIN_ATTEMPTS_PER_IP),
    ]


def is_locked(request: HttpRequest, username: str) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _keys(request, username))


def record_failure(request: HttpRequest, username: str) -> None:
    window = settings.LOGIN_LOCKOUT_MINUTES * 60
    for key, _limit in _keys(request, username):
        # add() starts the window on the first failure; later failures do not extend it.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)


def clear(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0][0])
