"""The registry of periodic jobs and the logic of the scheduler process.

An app registers its daily or hourly jobs at import time of its ``tasks``
module (which the scheduler imports for every Intact app)::

    from datetime import timedelta
    from django_tasks import task
    from intact.core.schedule import register_job

    @task()
    def deadlines_check() -> int: ...

    register_job("cases.deadlines_check", deadlines_check, every=timedelta(hours=1))

``intact scheduler`` (started by ``scripts/serve``) calls :func:`run_due`
every few seconds. A job is due when it was never enqueued or when ``every``
has passed since its last enqueue (:class:`~intact.core.models.ScheduledRun`).
Claiming a due job is one conditional UPDATE in the same transaction as the
enqueue (the django-tasks-db backend stores the task in that transaction), so
restarts and a second scheduler never enqueue a job twice. The scheduler only
enqueues; the task worker (``db_worker``) runs the jobs. See
docs/decisions/0005-background-tasks.md.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger("intact.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    task: Any  # a django_tasks Task
    every: dt.timedelta
    kwargs: dict[str, Any] = field(default_factory=dict)


_registry: dict[str, Job] = {}
_discovered = False


def register_job(
    name: str, task: Any, *, every: dt.timedelta, kwargs: dict[str, Any] | None = None
) -> Job:
    """Register ``task`` to be enqueued every ``every`` (at least one minute)."""
    if every < dt.timedelta(minutes=1):
        raise ValueError("A periodic job runs at most once a minute.")
    if not hasattr(task, "enqueue"):
        raise TypeError(f"{name}: register a django_tasks task (decorated with @task), not {task!r}")
    job = Job(name=name, task=task, every=every, kwargs=dict(kwargs or {}))
    existing = _registry.get(name)
    if existing is not None and existing.task is not task:
        raise ValueError(f"A job named {name!r} is already registered.")
    _registry[name] = job
    return job


def unregister_job(name: str) -> None:
    _registry.pop(name, None)


def autodiscover() -> None:
    """Import the ``tasks`` module of every Intact app, where jobs register themselves."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if not config.name.startswith("intact."):
            continue
        try:
            importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
    _discovered = True


def jobs() -> list[Job]:
    autodiscover()
    return sorted(_registry.values(), key=lambda job: job.name)


def is_due(job: Job, last_enqueued_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Due when never enqueued, or when ``every`` has passed since the last enqueue."""
    return last_enqueued_at is None or now - last_enqueued_at >= job.every


def next_due(job: Job, last_enqueued_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    return now if last_enqueued_at is None else max(now, last_enqueued_at + job.every)


def _claim_and_enqueue(job: Job, now: dt.datetime) -> bool:
    from intact.core.models import ScheduledRun

    try:
        ScheduledRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another scheduler created it at the same moment
        pass
    with transaction.atomic():
        run = ScheduledRun.objects.get(name=job.name)
        if not is_due(job, run.last_enqueued_at, now):
            return False
        # The claim: only one process can move last_enqueued_at from the value it read.
        claimed = ScheduledRun.objects.filter(
            pk=run.pk, last_enqueued_at=run.last_enqueued_at
        ) if run.last_enqueued_at is not None else ScheduledRun.objects.filter(
            pk=run.pk, last_enqueued_at__isnull=True
        )
        if claimed.update(last_enqueued_at=now) != 1:
            return False
        result = job.task.enqueue(**job.kwargs)
        ScheduledRun.objects.filter(pk=run.pk).update(last_task_id=str(result.id)[:64])
    logger.info("enqueued %s (task %s)", job.name, result.id)
    return True


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        try:
            if _claim_and_enqueue(job, now):
                enqueued.append(job.name)
        except Exception:  # one broken job must not stop the others
            logger.exception("could not enqueue %s", job.name)
    return enqueued
