"""``intact scheduler``: enqueue the registered periodic jobs when they are due.

Runs until stopped (``scripts/serve`` starts it next to the web server and
the task worker). State lives in the database, so it can be restarted at any
moment, and two schedulers never enqueue the same run twice. ``--once``
checks a single time and exits (for cron or tests); ``--list`` shows the
jobs and when each is next due.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from intact.core import schedule


class Command(BaseCommand):
    help = "Enqueue registered periodic jobs when they are due (runs until stopped)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks.")
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args: Any, interval: float, once: bool, list: bool, **options: Any) -> None:
        if list:
            self._list()
            return
        self.running = True

        def stop(signum: int, frame: Any) -> None:
            self.running = False

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            close_old_connections()
            try:
                for name in schedule.run_due():
                    self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} enqueued {name}")
            except Exception as error:  # noqa: BLE001 - e.g. database briefly away: retry later
                self.stderr.write(f"scheduler: {error}")
            if once or not self.running:
                return
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if not self.running:
                return

    def _list(self) -> None:
        from intact.core.models import ScheduledRun

        now = timezone.now()
        last = dict(ScheduledRun.objects.values_list("name", "last_enqueued_at"))
        for job in schedule.jobs():
            due = schedule.next_due(job, last.get(job.name), now)
            self.stdout.write(f"{job.name:40} every {job.every}  next {due:%Y-%m-%d %H:%M}")
