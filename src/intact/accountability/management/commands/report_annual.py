"""``intact report annual --org SLUG --year YYYY --format F --edition E -o FILE``."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from intact.accountability import documents, selectors
from intact.accountability.report import EDITIONS
from intact.organisations.models import Organisation


class _Progress:
    """A one-line progress bar, drawn only when stdout is a terminal."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, fraction: float, label: str) -> None:
        if not self.tty:
            return
        width = 30
        done = int(width * fraction)
        self.stream.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {int(100 * fraction):3d}% {label:<20}"
        )
        if fraction >= 1:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Generate the annual (or half-year) integrity report of an organisation."
    # A read-only export: Django's system checks (which import every URLconf,
    # view and the API schema) cost ~0.6 s and ~30 MB per run; they run at
    # deploy and migrate, not for each report.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=documents.FORMATS, default="html")
        parser.add_argument("--edition", choices=EDITIONS, default="public")
        parser.add_argument(
            "--interim", action="store_true", help="half-year report (1 Jan – 30 Jun)"
        )
        parser.add_argument(
            "--log", action="store_true", help="print the suppression log to stderr"
        )
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")

    def handle(self, *args, **o) -> None:
        try:
            organisation = Organisation.objects.get(slug=o["org"])
        except Organisation.DoesNotExist:
            raise CommandError(f"unknown organisation {o['org']!r}") from None
        progress = _Progress(sys.stdout if o["output"] != "-" else sys.stderr)
        progress(0.1, "figures")
        rep = selectors.report_build(
            organisation,
            o["year"],
            edition=o["edition"],
            interim=o["interim"],
            period_end=dt.date(o["year"], 6, 30) if o["interim"] else None,
        )
        progress(0.5, o["format"])
        data = documents.render(rep, o["format"])
        progress(0.9, "write")
        if o["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(o["output"], "wb") as fh:
                fh.write(data)
        progress(1.0, "done")
        if o["log"]:
            for entry in rep.suppression_log:
                self.stderr.write(f"suppressed: {entry['where']} ({entry['why']}; {entry['rule']})")
