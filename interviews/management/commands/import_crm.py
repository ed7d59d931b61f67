"""`manage.py import_crm accounts export.csv --layout salesforce [--apply]`"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from interviews.crm_import.layouts import KINDS, LAYOUTS
from interviews.crm_import.reading import UnreadableFile
from interviews.crm_import.service import run_import
from interviews.errors import WorkflowError


class Command(BaseCommand):
    help = (
        "Import accounts, owners or contacts from a CRM export (CSV, UTF-8 with or without "
        "BOM, or Shift_JIS). Without --apply it is a dry run that shows, row by row, what "
        "would be created, updated, left alone or rejected and why. Import owners first, "
        "then accounts, then contacts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", choices=[*LAYOUTS, "custom"], default="salesforce")
        parser.add_argument(
            "--mapping",
            help='JSON {"field": "Column"}: required with --layout custom, or overrides',
        )
        parser.add_argument(
            "--apply", action="store_true", help="write the changes (one transaction)"
        )
        parser.add_argument(
            "--as", dest="as_email", required=True, help="email of the manager or admin importing"
        )
        parser.add_argument("--quiet-rows", action="store_true", help="only print the totals")

    def handle(self, *args, kind, file, layout, mapping, apply, as_email, quiet_rows, **options):
        user = User.objects.filter(email__iexact=as_email).first()
        if user is None:
            raise CommandError(f"No user {as_email}.")
        try:
            plan = run_import(
                file.read_bytes(),
                kind=kind,
                layout=layout,
                custom_mapping=mapping,
                by=user,
                dry_run=not apply,
            )
        except (OSError, UnreadableFile, ValueError, WorkflowError) as exc:
            raise CommandError(str(exc)) from exc
        if not quiet_rows:
            for outcome in plan.outcomes:
                detail = "; ".join(outcome.reasons) or ", ".join(
                    f"{name}: {old} → {new}" for name, (old, new) in outcome.changes.items()
                )
                self.stdout.write(f"line {outcome.line}\t{outcome.action}\t{outcome.key}\t{detail}")
        counts = ", ".join(f"{n} {action}" for action, n in plan.counts.items())
        verb = "Imported" if apply else "Dry run (nothing written)"
        self.stdout.write(
            f"{verb}: {counts}; {len(plan.owner_changes)} owner change(s); {plan.encoding}."
        )
