"""Celery tasks of the accounts app (scheduled in config/celery.py)."""

from __future__ import annotations

from celery import shared_task

from accounts import sign_in_log


@shared_task(name="accounts.tasks.prune_sign_in_logs", ignore_result=True)
def prune_sign_in_logs() -> int:
    return sign_in_log.prune()
