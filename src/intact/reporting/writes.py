"""Rows of one transaction that are written together at its end.

An intake writes several timeline events and audit entries (the report
received, access granted to each first recipient, the route). Written one by
one, each audit entry reads and updates the chain head and each event is its
own INSERT; collected here they cost one INSERT for the events and one head
read, one INSERT and one head update for all audit entries
(:func:`intact.security.audit.record_many`). The audit entries are still
written inside the transaction of the work they record, so the work is never
stored without them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from intact.security import audit


class Writes:
    """Timeline events and audit entries collected during one transaction; :meth:`flush` writes them."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.audit: list[Any] = []

    def event(self, report: Any, kind: str, *, actor_label: str = "", visible: bool = False,
              detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> None:
        """A timeline event of ``report`` (same fields as ``services._event``)."""
        from intact.reporting.models import ReportEvent

        self.events.append(ReportEvent(
            report=report, kind=kind, at=at or timezone.now(), actor_label=actor_label[:200],
            detail=detail or {}, visible_to_reporter=visible,
        ))

    def record(self, actor: Any, action: str, **kwargs: Any) -> None:
        """An audit entry (same arguments as :func:`intact.security.audit.record`)."""
        self.audit.append(audit.prepare(actor, action, **kwargs))

    def flush(self) -> None:
        """Write what was collected (call it inside the transaction, before it commits)."""
        from intact.reporting.models import ReportEvent

        if self.events:
            ReportEvent.objects.bulk_create(self.events)
        audit.record_many(self.audit)
        self.events, self.audit = [], []
