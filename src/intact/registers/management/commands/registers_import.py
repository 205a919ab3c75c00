"""``intact registers_import --org SLUG --register oath|outside_activities|gifts|... FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intact.organisations.models import Organisation
from intact.registers import importing


class Command(BaseCommand):
    help = "Fill a register from a CSV or XLSX file: all rows or none (see docs/import.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--register", required=True, choices=sorted(importing.REGISTERS))
        parser.add_argument("--dry-run", action="store_true", help="only validate; write nothing")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **opts: Any) -> None:
        organisation = Organisation.objects.filter(slug=opts["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {opts['org']!r}.")
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        kwargs = {
            "organisation": organisation,
            "register": opts["register"],
            "filename": path.name,
            "data": path.read_bytes(),
        }
        if opts["dry_run"]:
            report = importing.import_validate(**kwargs)
        else:
            try:
                report = importing.import_apply(actor="intact registers_import", **kwargs)
            except importing.ImportFailed as failed:
                report = failed.report
        for e in report.errors:
            self.stderr.write(f"row {e.row}, column {e.column or '-'}: {e.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")
        verb = "validated" if opts["dry_run"] else "imported"
        self.stdout.write(
            self.style.SUCCESS(f"{report.rows} row(s) {verb} into {opts['register']}.")
        )
