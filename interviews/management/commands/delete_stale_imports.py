from django.core.management.base import BaseCommand

from interviews.crm_import import uploads


class Command(BaseCommand):
    help = (
        "Delete CRM files uploaded for an import preview that was never confirmed or "
        "cancelled, once they are a day old (the daily job does this; safe at any time)."
    )

    def handle(self, *args, **options) -> None:
        removed = uploads.delete_stale()
        self.stdout.write(f"stale import uploads deleted: {removed}")
