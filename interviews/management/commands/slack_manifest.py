from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MANIFEST = Path(settings.BASE_DIR) / "slack" / "manifest.yml"
PLACEHOLDER = "https://relay.example.com"


class Command(BaseCommand):
    help = (
        "Print the Slack app manifest (slack/manifest.yml) with its URLs under SITE_URL, "
        "to paste into api.slack.com/apps → Create New App → From an app manifest."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(MANIFEST.read_text().replace(PLACEHOLDER, settings.SITE_URL), ending="")
