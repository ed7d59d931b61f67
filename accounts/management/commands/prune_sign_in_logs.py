from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import sign_in_log


class Command(BaseCommand):
    help = "Delete sign-in audit records older than SIGN_IN_LOG_RETENTION_DAYS."

    def handle(self, *args, **options) -> None:
        count = sign_in_log.prune()
        self.stdout.write(
            f"{count} sign-in records older than "
            f"{settings.SIGN_IN_LOG_RETENTION_DAYS} days deleted."
        )
