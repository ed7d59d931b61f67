"""The address a request came from, for the limits counted per address (sign-in,
password reset, answer links).

Behind a reverse proxy every connection comes from the proxy, so REMOTE_ADDR would put
all clients under one count (and one client could lock out everyone). With
TRUSTED_PROXY_COUNT proxies in front, each appending the address it saw to
X-Forwarded-For, the client's is the entry that many places from the right: entries
further left were written by the client and cannot be trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count].strip()))
            except ValueError:
                pass  # not an address: fall back to the connection's
    return request.META.get("REMOTE_ADDR", "")


def client_network(request: HttpRequest) -> str:
    """The client's address, or for IPv6 the first address of its /64: one subscriber
    usually holds a whole /64, so counting single IPv6 addresses would count nothing.
    (django-ratelimit groups IPv6 by /64 the same way.)"""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address
