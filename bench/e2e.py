"""From an owner's answer to the marketer's email, on the real stack: gunicorn (the
production settings, 2 workers), one Celery worker as deployed, a Redis of its own, and a
local SMTP sink in a process of its own that notes when each message arrives.

Each owner opens the answer link (GET, for the form's CSRF token) and answers (POST). The
latency is from the POST's response to the arrival of the email it causes (the marketer's
"the owner answered", recognised by its In-Reply-To header naming the request). Three
phases, each on requests of its own:

- steady: answers one after another;
- burst: CONCURRENT answers at once;
- outage: Redis is killed, OUTAGE_ANSWERS answers are posted during OUTAGE_SECONDS, Redis
  is started again (empty, as after a restart without persistence). Nobody restarts a
  process or runs the minute job: the figures are emails delivered, duplicates, and the
  seconds from Redis' return to the last email.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import html
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.arrivals import arrivals as _arrivals
from bench.arrivals import sink as _sink
from bench.web import REPO, _free_port, gunicorn
from interviews import links
from interviews.models import InterviewRequest, Status

STEADY = 60
CONCURRENT = 50
OUTAGE_ANSWERS = 60
OUTAGE_SECONDS = 30
DRAIN_TIMEOUT = 120


@dataclasses.dataclass
class Phase:
    name: str
    answers: int
    answered: int  # POSTs that were accepted (redirect to the answered page)
    delivered: int  # distinct emails that arrived for these answers
    duplicates: int
    latencies: list[float]  # seconds, POST response -> email arrival
    post_seconds: list[float]  # how long each POST took
    drain_seconds: float | None = None  # outage: Redis back -> last email

    def p(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return self.p(0.95)

    @property
    def max(self) -> float:
        return max(self.latencies) if self.latencies else float("nan")


# --- Redis and the worker ----------------------------------------------------------------------


class _Redis:
    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.ConnectionError):
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)  # waiting for a server to listen

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@contextlib.contextmanager
def _worker(env: dict, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                *("-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"),
                # As docker-compose.yml runs it.
                *("--without-gossip", "--without-mingle"),
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, 15)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(10)


# --- Owners answering --------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _answer(base: str, path: str) -> tuple[float, float, bool]:
    """Open the link, answer. Returns (time of the POST's response, POST seconds, accepted)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + path, timeout=30) as response:
        token = html.unescape(_CSRF.search(response.read().decode()).group(1))
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "note": "Go ahead"}).encode()

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    no_redirect = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
    )
    started = time.perf_counter()
    try:
        with no_redirect.open(base + path, data=data, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.time(), time.perf_counter() - started, status == 302


def _paths(requests: list[InterviewRequest]) -> dict[int, str]:
    paths = {}
    for request in requests:
        url = links.action_url(request, request.owner, "owner_go_ahead")
        path = url.split("://", 1)[1]
        paths[request.pk] = path[path.index("/") :]
    return paths


def _phase(name: str, posted: dict[int, tuple[float, float, bool]], sink: Path) -> Phase:
    arrivals = [a for a in _arrivals(sink) if a["request"] in posted and a["kind"] == "decided"]
    by_id: dict[str, dict] = {}
    duplicates = 0
    for row in arrivals:
        if row["id"] in by_id:
            duplicates += 1
        else:
            by_id[row["id"]] = row
    latencies = [row["t"] - posted[row["request"]][0] for row in by_id.values()]
    return Phase(
        name=name,
        answers=len(posted),
        answered=sum(1 for _, _, ok in posted.values() if ok),
        delivered=len(by_id),
        duplicates=duplicates,
        latencies=latencies,
        post_seconds=[seconds for _, seconds, _ in posted.values()],
    )


def _wait_for(sink: Path, ids: set[int], timeout: float) -> float | None:
    """Poll the sink's file until an email arrived for every id; the last arrival's time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = [a for a in _arrivals(sink) if a["request"] in ids and a["kind"] == "decided"]
        if {a["request"] for a in got} >= ids:
            return max(a["t"] for a in got)
        time.sleep(0.2)  # polling another process's work
    return None


def run(
    *,
    steady: int = STEADY,
    concurrent: int = CONCURRENT,
    outage_answers: int = OUTAGE_ANSWERS,
    outage_seconds: int = OUTAGE_SECONDS,
) -> list[Phase]:
    if shutil.which("redis-server") is None:
        raise SystemExit("the e2e section needs redis-server: apt-get install redis-server")
    needed = steady + concurrent + outage_answers
    requests = list(
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER, owner__is_active=True)
        .select_related("owner")
        .order_by("-pk")[:needed]
    )
    if len(requests) < needed:
        raise SystemExit(f"only {len(requests)} requests wait for an owner; seed more")
    paths = _paths(requests)
    order = [r.pk for r in requests]
    batches = {
        "steady": order[:steady],
        "burst": order[steady : steady + concurrent],
        "outage": order[steady + concurrent :],
    }
    directory = Path(tempfile.mkdtemp(prefix="interview-relay-e2e-"))
    sink_file = directory / "arrivals.jsonl"
    redis_server = _Redis(directory)
    redis_server.start()
    phases = []
    try:
        with _sink(sink_file) as smtp_port:
            env = {
                **os.environ,
                "REDIS_URL": redis_server.url,
                "CELERY_BROKER_URL": redis_server.url,
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                "SECURE_COOKIES": "false",
                "LOG_LEVEL": "WARNING",
            }
            saved = dict(os.environ)
            os.environ.update(env)  # gunicorn() starts from os.environ
            try:
                with gunicorn() as server, _worker(env, directory / "worker.log") as worker:
                    base = server.url
                    phases.append(_steady(base, paths, batches["steady"], sink_file))
                    phases.append(_burst(base, paths, batches["burst"], sink_file))
                    phases.append(
                        _outage(
                            base, paths, batches["outage"], sink_file, redis_server, outage_seconds
                        )
                    )
                    if worker.poll() is not None:
                        raise RuntimeError(f"the worker died: see {directory / 'worker.log'}")
            finally:
                os.environ.clear()
                os.environ.update(saved)
    finally:
        redis_server.kill()
    return phases


def _steady(base: str, paths: dict[int, str], ids: list[int], sink: Path) -> Phase:
    posted = {pk: _answer(base, paths[pk]) for pk in ids}
    _wait_for(sink, set(ids), DRAIN_TIMEOUT)
    return _phase("steady (one after another)", posted, sink)


def _burst(base: str, paths: dict[int, str], ids: list[int], sink: Path) -> Phase:
    with concurrent.futures.ThreadPoolExecutor(len(ids)) as pool:
        results = pool.map(lambda pk: (pk, _answer(base, paths[pk])), ids)
        posted = dict(results)
    _wait_for(sink, set(ids), DRAIN_TIMEOUT)
    return _phase(f"burst ({len(ids)} at once)", posted, sink)


def _outage(
    base: str, paths: dict[int, str], ids: list[int], sink: Path, redis_server: _Redis, seconds: int
) -> Phase:
    redis_server.kill()
    down_at = time.monotonic()
    posted = {}
    gap = seconds / (len(ids) + 1)
    for pk in ids:
        posted[pk] = _answer(base, paths[pk])
        # Spread the answers over the outage (pacing a load, not waiting for a result).
        time.sleep(max(0.0, down_at + gap * (len(posted) + 1) - time.monotonic()))
    time.sleep(max(0.0, down_at + seconds - time.monotonic()))
    redis_server.start()
    back = time.time()
    last = _wait_for(sink, set(ids), DRAIN_TIMEOUT)
    # A little longer, so that a late duplicate would be seen too.
    time.sleep(3)
    phase = _phase(f"outage (Redis down {seconds} s)", posted, sink)
    phase.drain_seconds = None if last is None else last - back
    return phase
