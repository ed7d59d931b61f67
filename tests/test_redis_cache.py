"""The shared cache on a real Redis, as production runs it: the counters behind the rate
limits and the sign-in lockout behave as Django's cache promises."""

from __future__ import annotations

import secrets

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_cache(settings):
    if not django_settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://...")
    prefix = f"test-{secrets.token_hex(4)}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": django_settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_counters_follow_djangos_contract():
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.get("missing") is None  # a failed incr creates nothing
    assert cache.add("n", 1, timeout=60) is True
    assert cache.add("n", 5, timeout=60) is False
    assert cache.incr("n") == 2
    assert cache.incr("n", 10) == 12
    assert cache.get("n") == 12
    cache.set("s", {"any": "value"}, timeout=60)
    assert cache.get("s") == {"any": "value"}


def test_answer_links_are_rate_limited_per_link_on_redis(client, settings):
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 3
    url = "/r/not-a-token/defer/"
    codes = [client.get(url).status_code for _ in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    assert client.get("/r/another-token/defer/").status_code == 400


def test_sign_in_locks_after_failed_attempts_on_redis(client, marketer, settings):
    settings.LOGIN_ATTEMPTS_PER_ACCOUNT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": marketer.email, "password": "guess"})
    response = client.post(reverse("login"), {"username": marketer.email, "password": "pw"})
    assert response.status_code == 200  # still the form: locked, even with the right password
    assert "_auth_user_id" not in client.session
