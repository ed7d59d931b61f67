"""htmx fragments: the same view renders the whole page or, when htmx asks for one part
of it, just that part. Every page works without JavaScript; htmx only saves reloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def target(request: HttpRequest) -> str | None:
    """The id of the element htmx will swap, or None for a normal page load.

    A history restore (back button after htmx pushed a URL) needs the whole page.
    """
    if request.headers.get("HX-Request") != "true":
        return None
    if request.headers.get("HX-History-Restore-Request") == "true":
        return None
    return request.headers.get("HX-Target") or None


def vary(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
