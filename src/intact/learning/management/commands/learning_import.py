"""intact learning_import --org SLUG --kind activities|conversations [--counsellor USER] [--dry-run] FILE

Imports activities or counsellor conversations from a CSV or XLSX file. Every
row is checked first; with any error nothing is imported and each error is
printed with its row and column (exit status 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from intact.learning.imports import KINDS, learning_import
from intact.organisations.selectors import organisation_get_public


class Command(BaseCommand):
    help = "Import activities or counsellor conversations (CSV or XLSX) for one organisation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", required=True, help="Slug of the organisation.")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument(
            "--counsellor",
            default="",
            help="Username of the counsellor the conversations belong to; "
            "without it imported conversations only count.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only validate; import nothing.")
        parser.add_argument("file", help="Path to a .csv or .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.http import Http404

        try:
            organisation = organisation_get_public(slug=options["org"])
        except Http404 as exc:
            raise CommandError(f"No active organisation with slug {options['org']!r}.") from exc
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        counsellor = None
        if options["counsellor"]:
            counsellor = get_user_model().objects.filter(username=options["counsellor"]).first()
            if counsellor is None:
                raise CommandError(f"No user {options['counsellor']!r}.")
        result = learning_import(
            actor="command:learning_import",
            organisation=organisation,
            kind=options["kind"],
            filename=path.name,
            data=path.read_bytes(),
            counsellor=counsellor,
            dry_run=options["dry_run"],
        )
        if not result.ok:
            for issue in result.errors:
                self.stderr.write(str(issue))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Valid: {result.created} {options['kind']} (dry run, nothing imported)."
                )
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} {options['kind']}."))
        if result.facilitators_added:
            self.stdout.write(
                "Added to the facilitator pool: " + ", ".join(result.facilitators_added)
            )
