from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Create a person's REST API token and print it, once: it acts with their role and "
        "permissions. A person has one token; --rotate replaces it (the old one stops "
        "working), --revoke deletes it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the person's sign-in email")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rotate", action="store_true", help="replace an existing token with a new one"
        )
        group.add_argument("--revoke", action="store_true", help="delete the token")

    @transaction.atomic
    def handle(self, *args, email: str, rotate: bool, revoke: bool, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {email}.")
        existing = Token.objects.select_for_update().filter(user=user)
        if revoke:
            deleted, _ = existing.delete()
            self.stdout.write(
                f"Token of {user.email} revoked." if deleted else f"{user.email} had no token."
            )
            return
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated: a token would not work.")
        if existing.exists():
            if not rotate:
                # The key is shown only when it is made, as a password would be.
                raise CommandError(
                    f"{user.email} already has a token. Use --rotate to replace it "
                    "(the old one stops working) or --revoke to delete it."
                )
            existing.delete()
        token = Token.objects.create(user=user)
        self.stderr.write(
            f'API token for {user.email} (shown once; send it as "Authorization: Token <key>"):'
        )
        self.stdout.write(token.key)
