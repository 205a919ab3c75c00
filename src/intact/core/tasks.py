"""Background tasks of the core app."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django_tasks import task

from intact.core.schedule import register_job

TASK_RESULT_RETENTION_DAYS = 30


@task()
def task_results_prune() -> None:
    """Delete finished task results older than the retention period (they hold ids only)."""
    call_command("prune_db_task_results", min_age_days=TASK_RESULT_RETENTION_DAYS, verbosity=0)


@task()
def heartbeat() -> str:
    """A no-op that proves worker and scheduler run (visible in the task results)."""
    return "ok"


register_job("core.task_results_prune", task_results_prune, every=dt.timedelta(days=1))
register_job("core.heartbeat", heartbeat, every=dt.timedelta(hours=1))
