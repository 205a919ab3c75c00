"""``intact report sector --year YYYY``: the sector overview (aggregates only) as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from intact.accountability import sector


class Command(BaseCommand):
    help = "Sector overview across participating organisations (cases by standard category, suppressed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", default="-")

    def handle(self, *args, **o) -> None:
        result = sector.overview(o["year"])
        result.pop("log")
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if o["output"] == "-":
            self.stdout.write(text)
        else:
            with open(o["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
        if not result["enough"]:
            self.stderr.write(
                f"fewer than {sector.MIN_ORGANISATIONS} organisations take part with figures for {o['year']}: nothing shown"
            )
