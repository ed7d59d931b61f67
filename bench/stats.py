"""Timing helpers: repeated runs after warm-up, median and p95, SQL query counts."""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

# Statements that read or write no data (the dashboard's snapshot): not counted as queries.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SET ", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclasses.dataclass
class Timing:
    name: str
    median_ms: float
    p95_ms: float
    runs: int
    queries: int | None = None

    def row(self) -> list[str]:
        queries = "" if self.queries is None else str(self.queries)
        return [self.name, f"{self.median_ms:.1f}", f"{self.p95_ms:.1f}", str(self.runs), queries]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(name: str, call: Callable[[], object], *, runs: int, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        call()
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = sum(not q["sql"].startswith(_TRANSACTION_CONTROL) for q in captured.captured_queries)
    samples = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(name, statistics.median(samples), percentile(samples, 0.95), runs, queries)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
