"""Run callables at the same instant in threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_together(*calls: Callable[[], Any], timeout: float = 60) -> list[tuple[str, Any]]:
    """Start every call behind one barrier; return ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any] | None] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = ("ok", call())
        except Exception as exc:  # reported to the test, which asserts on it
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert all(not t.is_alive() for t in threads), "a concurrent call hung"
    return [r for r in results if r is not None]
