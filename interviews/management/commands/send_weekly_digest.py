from django.core.management.base import BaseCommand

from interviews.notifications.digest import send_weekly_digest


class Command(BaseCommand):
    help = (
        "Queue this week's digest for every manager who has not had it yet, and send it. "
        "Safe to run again: each manager gets one digest per ISO week."
    )

    def handle(self, *args, **options) -> None:
        ids = send_weekly_digest()
        self.stdout.write(f"weekly digests queued: {len(ids)}")
