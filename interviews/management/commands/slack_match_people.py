from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from interviews.notifications import slack_api


class Command(BaseCommand):
    help = (
        "Find people in the installed Slack workspace by their email (users.lookupByEmail) "
        "and remember their Slack user id. Without --all, only people never looked up or "
        "looked up more than SLACK_LOOKUP_MAX_AGE_DAYS ago (the daily job does the same)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="look up every active person")

    def handle(self, *args, all: bool, **options) -> None:
        if not slack_api.is_installed():
            raise CommandError("SLACK_BOT_TOKEN is not set: the Slack app is not installed.")
        people = (
            User.objects.filter(is_active=True).order_by("pk")
            if all
            else slack_api.people_due_for_lookup()
        )
        counts = slack_api.match_people(people)
        self.stdout.write(
            f"Matched {counts['matched']}, not in Slack {counts['unmatched']}, "
            f"lookups failed {counts['errors']}."
        )
