"""Core models: bookkeeping of the periodic scheduler."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    """When a registered periodic job was last put on the task queue.

    Kept in the database so that a restarted (or a second) scheduler process
    does not enqueue a job again before it is due.
    """

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_enqueued_at}"
