"""``intact report sector --year YYYY``: the sector overview (aggregates only) as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from intact.accountability import sector


class Command(BaseCommand):
    help = "Sector overview across participating organisations (cases by standard category, suppressed)."
    # The system checks import the whole web stack (URLconf, views, templates): ≈ 3 s and
    # 40 MB before the first query (benchmarks/notes/60-sector.md). This command needs
    # none of it; `intact check` still runs them.
    requires_system_checks: list[str] = []

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
