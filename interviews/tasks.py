"""Celery tasks: thin wrappers that pass ids and call the jobs."""

from __future__ import annotations

from celery import shared_task

from interviews import jobs
from interviews.crm_import import uploads
from interviews.notifications import digest, outbox, slack_api


@shared_task(name="interviews.tasks.process_deadlines", ignore_result=True)
def process_deadlines() -> dict[str, int]:
    return jobs.process_deadlines().as_dict()


@shared_task(name="interviews.tasks.send_notifications", ignore_result=True)
def send_notifications(ids: list[int] | None) -> tuple[int, int]:
    """Send these outbox rows, or (None) every row that is due."""
    return outbox.send_pending(ids=ids)


@shared_task(name="interviews.tasks.send_weekly_digest", ignore_result=True)
def send_weekly_digest() -> int:
    return len(digest.send_weekly_digest())


@shared_task(name="interviews.tasks.delete_stale_imports", ignore_result=True)
def delete_stale_imports() -> int:
    return uploads.delete_stale()


@shared_task(name="interviews.tasks.slack_match_people", ignore_result=True)
def slack_match_people() -> dict[str, int]:
    return slack_api.match_people(slack_api.people_due_for_lookup())


@shared_task(name="interviews.tasks.slack_ephemeral", ignore_result=True)
def slack_ephemeral(channel: str, user: str, text: str) -> None:
    slack_api.post_ephemeral(channel, user, text)
