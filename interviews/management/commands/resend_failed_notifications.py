from django.core.management.base import BaseCommand

from interviews.models import Notification, NotificationStatus
from interviews.notifications import outbox


class Command(BaseCommand):
    help = (
        "Put failed notifications back in the queue (after fixing the mail server or a "
        "template); the minute job sends them, each once. --list shows them first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="only these notification ids")
        parser.add_argument(
            "--list", dest="list_only", action="store_true", help="list failed ones, change nothing"
        )

    def handle(self, *args, ids: list[int], list_only: bool, **options) -> None:
        failed = Notification.objects.filter(status=NotificationStatus.FAILED)
        if ids:
            failed = failed.filter(pk__in=ids)
        if list_only:
            for n in failed.select_related("recipient").order_by("created_at"):
                self.stdout.write(f"{n.pk}\t{n.kind}\t{n.recipient.email}\t{n.last_error}")
            self.stdout.write(f"{failed.count()} failed notification(s).")
            return
        count = outbox.resend_failed(ids=ids or None)
        self.stdout.write(f"{count} notification(s) queued again; the minute job sends them.")
