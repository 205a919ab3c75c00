"""``intact deadlines_check``: record overdue terms as missed and send reminders."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from intact.reporting.tasks import deadlines_check


class Command(BaseCommand):
    help = "Record overdue report terms as missed and remind handlers of terms that end soon."

    def handle(self, *args, **options) -> None:
        result = deadlines_check()
        self.stdout.write(f"missed={result['missed']} reminded={result['reminded']}")
