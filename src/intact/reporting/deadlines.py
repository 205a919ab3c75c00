"""The deadline engine: statutory and organisational terms as versioned data.

Owned by the staff-side/procedures work; called by the reporting services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def term_event(*, report: Any, event: str, at: dt.datetime | None = None) -> None:
    """Record a report event that starts, meets or ends terms.

    Events: ``received``, ``acknowledged``, ``feedback_given``, ``closed``.
    Called inside the transaction of the service that caused the event.
    """
    return None
