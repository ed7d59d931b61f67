"""One dashboard, one moment: its queries run in a single read-only transaction.

A dashboard is a dozen queries. Without a shared snapshot, a decision committed between two
of them shows in one table and not in the next, and the headline stops adding up. On
PostgreSQL the transaction is REPEATABLE READ (every query sees the database as of its
first one) and READ ONLY.

It also runs without parallel workers: at the sizes a company reaches, starting them costs
more than they save (the per-owner counts at 100k requests took 33 ms with two workers and
23 ms without), and on a small server they would take the cores that serve the other pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection, transaction


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    starts_transaction = not connection.in_atomic_block
    with transaction.atomic():
        # Only the first statement of a transaction may choose its isolation, and a setting
        # would outlive the block inside a caller's transaction: there the caller's rules apply.
        if starts_transaction and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield
