"""Redis, as the shared cache, cannot be reached: every page still works, the rate limits
let requests through, and /readyz says so. The cache is the project's real Redis client
pointed at a port where nothing listens (a Redis that is down), not a stand-in."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from config import cache as fail_open_cache
from interviews import jobs, links
from interviews.models import InterviewRequest, RequestEvent, Status
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    fail_open_cache.fail_open.reset()
    yield
    fail_open_cache.fail_open.reset()


def test_the_cache_answers_as_an_empty_one(redis_down):
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is False
    with pytest.raises(ValueError):
        cache.incr("k")
    cache.set("k", 1)  # dropped, no error
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert fail_open_cache.fail_open.calls == 6


def test_a_failure_is_logged_once_not_per_call(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(20):
            cache.get("k")
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "failing open" in warnings[0].getMessage()


def test_owners_answer_from_links_and_sign_in_while_redis_is_down(
    client, redis_down, settings, file_request, sales
):
    settings.ACTION_LINK_RATE_PER_LINK_PER_MINUTE = 1
    settings.ACTION_LINK_RATE_PER_ADDRESS_PER_MINUTE = 1
    request = file_request()
    path = reverse("action_link", args=[links.make_token(request, sales), "owner_go_ahead"])
    # Limits of 1 a minute would refuse the second request if they were counted.
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    response = client.post(path, {"note": "Go ahead"}, follow=True)
    assert response.status_code == 200
    assert "your answer is recorded" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.MARKETING_OUTREACH
    assert RequestEvent.objects.filter(request=request, actor=sales).exists()

    signed_in = client.post(reverse("login"), {"username": sales.email, "password": "pw"})
    assert signed_in.status_code == 302
    assert client.get(reverse("owner_queue")).status_code == 200
    assert InterviewRequest.objects.count() == 1


def test_readyz_reports_the_cache_as_degraded_with_the_calls_that_failed_open(
    client, redis_down, clock, settings
):
    jobs.process_deadlines()  # its heartbeat is lost with the cache: reported below
    client.get("/r/some-token/defer/")
    response = client.get("/readyz")
    body = response.json()
    # Still in service: answers are recorded, the emails wait for Redis.
    assert response.status_code == 200, body
    assert body["status"] == "degraded"
    assert set(body["degraded"]) == {"cache", "process_deadlines"}
    assert "heartbeat is in the cache" in body["checks"]["process_deadlines"]["detail"]
    cache_check = body["checks"]["cache"]
    assert cache_check["ok"] is False
    assert cache_check["detail"].startswith("unreachable, rate limits fail open")
    assert "call(s) failed open in this process" in cache_check["detail"]
    # Anyone may ask /readyz: where Redis lives is for the log, not for them.
    location = settings.CACHES["default"]["LOCATION"].split("//")[1].split("/")[0]
    assert location not in response.content.decode()
