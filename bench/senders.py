"""Sender processes for the outbox benchmark, as a Celery worker runs them: each its own
interpreter and database connection, claiming disjoint batches of the same outbox.

Kept free of Django imports at module level: a spawned process imports this module before
it has set Django up.
"""

from __future__ import annotations

import multiprocessing
import queue
import time


def _send_all(port: int, ready, results) -> None:
    import django

    django.setup()
    from django.test import override_settings

    from interviews.notifications import outbox

    ready.wait()  # every sender set up: they start together
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
    ):
        results.put(outbox.send_pending())


def send_in_parallel(port: int, processes: int) -> tuple[int, int, float]:
    """Send every due notification with `processes` senders at once.

    Returns (sent, failed, seconds); the clock starts once every process is ready."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(processes + 1), context.Queue()
    workers = [
        context.Process(target=_send_all, args=(port, ready, results)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait(timeout=120)
        began = time.perf_counter()
        outcomes = []
        while len(outcomes) < processes:
            try:
                outcomes.append(results.get(timeout=5))
            except queue.Empty:
                if any(worker.exitcode not in (None, 0) for worker in workers):
                    raise RuntimeError("a sender process died before finishing") from None
        seconds = time.perf_counter() - began
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
    return sum(sent for sent, _ in outcomes), sum(failed for _, failed in outcomes), seconds
