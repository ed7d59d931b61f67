"""Web throughput: the app under gunicorn (2 workers) on 127.0.0.1, under a bounded load
from wrk (fixed duration, fixed connections), on the owner action page, its queries alone
(bench/floor.py), the manager dashboard and /healthz. Reports requests/s, p99 latency and
the CPU each request costs the workers and the database (bench/cpu.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from accounts.models import User
from bench import floor
from bench.cpu import Meter, children
from interviews import links
from interviews.models import InterviewRequest, Status

REPO = Path(__file__).resolve().parents[1]
DURATION_SECONDS = 10
CONNECTIONS = 8
APPLICATION_NAME = "interview-relay-bench-web"
QUERIES_ONLY = "The answer page's queries alone (bench/floor.py), for reference"


@dataclasses.dataclass
class Throughput:
    name: str
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int
    # CPU per request of the gunicorn workers and of PostgreSQL's backends, in ms.
    app_cpu_ms: float = 0.0
    database_cpu_ms: float = 0.0
    # Every round's requests/s: the figure above is the median round's.
    rounds: list[float] = dataclasses.field(default_factory=list)
    # Every round's CPU per request (workers + database), in ms.
    cpu_rounds: list[float] = dataclasses.field(default_factory=list)

    @property
    def cpu_ms(self) -> float:
        return self.app_cpu_ms + self.database_cpu_ms


def _median_round(name: str, runs: list[Throughput]) -> Throughput:
    """The round with the median requests/s (this machine's speed drifts by a fifth from
    one ten-second window to the next), with every round's figure kept."""
    ordered = sorted(runs, key=lambda run: run.requests_per_second)
    middle = ordered[len(ordered) // 2]
    return dataclasses.replace(
        middle,
        name=name,
        rounds=[run.requests_per_second for run in runs],
        cpu_rounds=[run.cpu_ms for run in runs],
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class Server:
    url: str
    pid: int

    def workers(self) -> list[int]:
        return children(self.pid)


@contextlib.contextmanager
def gunicorn(workers: int = 2, env: dict[str, str] | None = None) -> Iterator[Server]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "gunicorn",
            # The production settings, on two workers here.
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env={**os.environ, "LOG_LEVEL": "WARNING", **(env or {})},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.1)  # waiting for a server to listen, not for time to pass
        yield Server(f"http://127.0.0.1:{port}", process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_P99 = re.compile(r"99%\s+([\d.]+)(us|ms|s)")
_TOTAL = re.compile(r"(\d+) requests in")
_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def _wrk(
    name: str, url: str, *, server: Server, cookie: str | None = None, duration: int
) -> Throughput:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    meter = Meter(server.workers(), application_name=APPLICATION_NAME)
    meter.start()
    output = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    cpu = meter.stop()
    value, unit = _P99.search(output).groups()
    p99_ms = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = int(m.group(1)) if (m := _ERRORS.search(output)) else 0
    requests = int(_TOTAL.search(output).group(1))
    if not requests:
        raise RuntimeError(f"wrk completed no request on {url}:\n{output}")
    return Throughput(
        name,
        float(_RPS.search(output).group(1)),
        p99_ms,
        requests,
        errors,
        app_cpu_ms=1000 * cpu.app_seconds / requests,
        database_cpu_ms=1000 * cpu.database_seconds / requests,
    )


def _warm_up(url: str, cookie: str | None = None, times: int = 20) -> None:
    """Both workers load templates and translations on their first requests: not measured."""
    import urllib.request

    for _ in range(times):
        headers = {"Cookie": cookie} if cookie else {}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our server
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our server
            response.read()


def run(*, duration: int = DURATION_SECONDS, rounds: int = 3) -> list[Throughput]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the web throughput figures: apt-get install wrk")
    request = (
        InterviewRequest.objects.filter(status=Status.AWAITING_OWNER)
        .select_related("owner")
        .first()
    )
    action_path = links.action_url(request, request.owner, "defer").split("://", 1)[1]
    action_path = action_path[action_path.index("/") :]
    manager = User.objects.filter(is_manager=True).order_by("pk").first()
    cookie = _session_cookie(manager)
    # The workers' connections carry a name, so that their backends' CPU is told apart.
    database_url = os.environ["DATABASE_URL"]
    separator = "&" if "?" in database_url else "?"
    named = f"{database_url}{separator}application_name={APPLICATION_NAME}"
    # The app's settings, plus the reference view of bench/floor.py in its URLs.
    environment = {"DATABASE_URL": named, "DJANGO_SETTINGS_MODULE": "bench.web_settings"}
    queries_path = f"/{floor.PATH}{links.make_token(request, request.owner)}/"
    with gunicorn(env=environment) as server:
        base = server.url
        _warm_up(base + action_path)
        _warm_up(base + queries_path)
        _warm_up(base + "/dashboard/", cookie)
        _warm_up(base + "/healthz")
        pages = [
            ("Owner action page (GET)", base + action_path, None),
            # The floor: the same link read and the page's queries run, nothing presented.
            (QUERIES_ONLY, base + queries_path, None),
            ("Manager dashboard", base + "/dashboard/", cookie),
            # The ceiling: the same server and middleware around a view that does nothing.
            ("Health check (/healthz), for reference", base + "/healthz", None),
        ]
        runs: dict[str, list[Throughput]] = {name: [] for name, _, _ in pages}
        for index in range(rounds):
            # Each round runs every page, starting with a different one: a slow stretch of
            # this shared machine then costs every page alike, and round i of each pairs up.
            first = index % len(pages)
            for name, url, page_cookie in pages[first:] + pages[:first]:
                runs[name].append(
                    _wrk(name, url, server=server, cookie=page_cookie, duration=duration)
                )
        return [_median_round(name, runs[name]) for name, _, _ in pages]
