"""``intact registers_remind``: send the code-of-conduct reminders that are due (daily job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from intact.registers.tasks import remind_all


class Command(BaseCommand):
    help = "Remind everyone who has not acknowledged the current code of conduct in time."

    def handle(self, *args: Any, **opts: Any) -> None:
        sent = remind_all()
        self.stdout.write(f"{sent} reminder(s) sent.")
