"""Rate limits: what a person sees when they hit one, and per-minute counters that cost one
round trip to Redis however many limits a request counts against.

django-ratelimit (password reset) counts each limit with `add` and `incr`, two round trips
a limit; the answer links count two limits on every request of the busiest page, so they
use `hit_all` below: every counter of the minute incremented in one server-side script.
Like every cache call, it fails open when Redis is down (config/cache.py).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from functools import wraps

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60


def too_many_requests(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def _hit_all(keys: list[str]) -> list[int]:
    cache = caches["default"]
    if hasattr(cache, "hit_all"):
        return cache.hit_all(keys, WINDOW_SECONDS + 5)
    # A cache without scripts (files in the demo, memory in tests): the same counts.
    counts = []
    for key in keys:
        cache.add(key, 0, WINDOW_SECONDS + 5)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # gone between add and incr, or the cache is down
            counts.append(0)
    return counts


def over_limit(limits: Sequence[tuple[str, str, int]]) -> bool:
    """Count one hit against each (name, who, per-minute limit); True if any is exceeded.

    `who` is hashed into the key: no token or address is stored in the cache."""
    window = int(time.time() // WINDOW_SECONDS)
    keys = [
        f"rl:{name}:{window}:{hashlib.blake2b(who.encode(), digest_size=12).hexdigest()}"
        for name, who, _ in limits
    ]
    counts = _hit_all(keys)
    return any(count > limit for count, (_, _, limit) in zip(counts, limits, strict=True))


def per_minute(
    limits: Callable[[HttpRequest, dict], Sequence[tuple[str, str, int]]],
) -> Callable:
    """A view decorator: 429 once any of `limits(request, view_kwargs)` is exceeded."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if over_limit(limits(request, kwargs)):
                return too_many_requests(request, None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
