from django.core.management.base import BaseCommand

from interviews.jobs import process_deadlines


class Command(BaseCommand):
    help = (
        "Send due reminders, switch overdue requests to marketing outreach, wake deferred "
        "requests and send unsent notifications. Safe to run at any time, also in parallel."
    )

    def handle(self, *args, **options) -> None:
        run = process_deadlines()
        self.stdout.write(
            f"woken {run.woken}, switched {run.switched}, reminded {run.reminded}, "
            f"emails sent {run.sent}, failed attempts {run.failed}"
        )
