"""CPU time spent by the processes that serve a page: the gunicorn workers and the
PostgreSQL processes working for their connections, read from /proc before and after a
load run.

Requests per second on a shared two-core machine count the load generator's share of the
cores too (wrk takes more of them the cheaper the page): CPU per request is what a page
costs the servers, whatever else runs beside them."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

from django.db import connection

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:  # the process is gone
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int, *, of_ended_children: bool = False) -> float | None:
    """User and system time of a live process (or that of its children which have ended
    and been waited for), or None once it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    # After the name: state, ppid, … then utime, stime, cutime and cstime from the 12th.
    first = 13 if of_ended_children else 11
    return (int(fields[first]) + int(fields[first + 1])) / _TICKS_PER_SECOND


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a gunicorn master's workers)."""
    found = []
    for entry in _PROC.iterdir():
        fields = _stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def database_backends(application_name: str) -> list[int]:
    """PostgreSQL's server processes for the connections that call themselves so."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        return [pid for (pid,) in cursor.fetchall()]


def postmaster() -> int:
    """The PostgreSQL server's parent process (that of this connection's backend)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    return int(_stat_fields(backend)[1])


@dataclasses.dataclass
class CpuUse:
    app_seconds: float
    database_seconds: float


class Meter:
    """CPU of the app's processes and of the database's work for them between start() and
    stop(): the backends of the app's connections, and every server process that ended in
    between, read from the server's parent, which adds up its ended children. That takes
    in the parallel workers a query starts for a moment and a connection reopened
    mid-round, but also whatever else of the server ended then (an autovacuum worker):
    little on a quiet machine."""

    def __init__(self, app_pids: Iterable[int], *, application_name: str) -> None:
        self._app_pids = list(app_pids)
        self._application_name = application_name
        self._postmaster = postmaster()
        self._before: tuple[dict[int, float], dict[int, float], float] = ({}, {}, 0.0)

    def _snapshot(self) -> tuple[dict[int, float], dict[int, float], float]:
        def cpu(pids: Iterable[int]) -> dict[int, float]:
            return {pid: seconds for pid in pids if (seconds := cpu_seconds(pid)) is not None}

        return (
            cpu(self._app_pids),
            cpu(database_backends(self._application_name)),
            cpu_seconds(self._postmaster, of_ended_children=True) or 0.0,
        )

    def start(self) -> None:
        self._before = self._snapshot()

    def stop(self) -> CpuUse:
        app_before, backends_before, ended_before = self._before
        app, backends, ended = self._snapshot()
        if app_before.keys() - app.keys():
            raise RuntimeError("a worker ended during the run: its CPU cannot be read")
        live = sum(seconds - backends_before.get(pid, 0.0) for pid, seconds in backends.items())
        # A backend that ended is in the parent's account now with all its time, some of it
        # from before the round.
        ended_early = sum(t for pid, t in backends_before.items() if pid not in backends)
        return CpuUse(
            app_seconds=sum(seconds - app_before[pid] for pid, seconds in app.items()),
            database_seconds=live + (ended - ended_before) - ended_early,
        )
