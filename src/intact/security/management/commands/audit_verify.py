"""``intact audit verify``: check the audit log's hash chain from the first entry to the head."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from intact.security import audit


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 and name the first broken entry if it is not intact."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} entries")
            return
        where = f"entry {result.first_broken_id}" if result.first_broken_id is not None else "the chain head"
        self.stderr.write(
            f"audit chain BROKEN at {where}: {result.reason} "
            f"({result.checked} entries before it verified)"
        )
        sys.exit(1)
