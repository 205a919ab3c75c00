"""Routing of incoming reports along the organisation's reporting procedure.

Owned by the staff-side/procedures work; called by ``services.report_submit``.
"""

from __future__ import annotations

from typing import Any


def report_route(*, report: Any) -> None:
    """Give the report's first recipients access and inform who must be informed.

    Called inside the transaction of ``report_submit``. Implicated persons are
    never given access.
    """
    return None
