"""CPU time spent by the processes that serve a page: the gunicorn workers and the
PostgreSQL backends of their connections, read from /proc before and after a load run.

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


def cpu_seconds(pid: int) -> float | None:
    """User and system time of a live process, or None once it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    # After the name: state, ppid, … utime and stime are the 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a gunicorn master's workers)."""
    found = []
    for entry in _PROC.iterdir():
        fields = _stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def database_backends() -> list[int]:
    """PostgreSQL's server processes for the other connections to this database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@dataclasses.dataclass
class CpuUse:
    app_seconds: float
    database_seconds: float
    # Processes that ended during the run: their last stretch is not counted.
    lost: int


class Meter:
    """CPU of the app's processes and of the database's backends between start() and
    stop(). A process that appears in between counts from zero."""

    def __init__(self, app_pids: Iterable[int]) -> None:
        self._app_pids = list(app_pids)
        self._before: dict[str, dict[int, float]] = {}

    def _snapshot(self) -> dict[str, dict[int, float]]:
        groups = {"app": self._app_pids, "database": database_backends()}
        return {
            name: {pid: seconds for pid in pids if (seconds := cpu_seconds(pid)) is not None}
            for name, pids in groups.items()
        }

    def start(self) -> None:
        self._before = self._snapshot()

    def stop(self) -> CpuUse:
        after = self._snapshot()
        totals, lost = {}, 0
        for name, before in self._before.items():
            now = after[name]
            lost += len(before.keys() - now.keys())
            totals[name] = sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())
        return CpuUse(totals["app"], totals["database"], lost)
