"""Background work of the cases app: the daily retention run.

Registered with the scheduler (``intact.core.schedule``), which the task
worker serves; ``intact retention`` is not needed: the job runs every day.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from intact.cases import retention


@task()
def retention_task() -> dict[str, int]:
    """Anonymise closed cases whose retention term has passed (daily)."""
    return retention.retention_run()


try:
    from intact.core.schedule import register_job
except ImportError:  # pragma: no cover - the platform always has it
    register_job = None

if register_job is not None:
    register_job("cases.retention", retention_task, every=dt.timedelta(days=1))
