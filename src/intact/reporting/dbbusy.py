"""A database that is too busy right now answers 503 + Retry-After, never 500.

Under a flood of submissions or receipt logins, SQLite (one writer at a time)
can give up waiting for its write lock ("database is locked", after
``busy_timeout``), and PostgreSQL can end a statement that waited too long
for a lock (``lock_timeout``), or abort one side of a deadlock or a
serialisation conflict. The transaction was rolled back: nothing of the
request was stored, so the honest answer is "busy, try again in a few
seconds", exactly what the load shedding in ``intact.core.backpressure``
answers, and not an error page.

The reporting services turn such an error into ``MailboxBusy`` themselves
(their pages and API say what it means for the reporter: the report was not
sent, the answers are kept). :class:`DatabaseBusyMiddleware` does the same
for every other view of the installation. Only lock and capacity errors are
turned into 503; any other ``OperationalError`` stays a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

# PostgreSQL SQLSTATEs that mean "busy, try again": lock_not_available (lock_timeout,
# NOWAIT), deadlock_detected, serialization_failure, query_canceled (statement_timeout),
# too_many_connections.
BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001", "57014", "53300"})
# SQLite (and driver) messages with the same meaning.
BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked",
                 "lock timeout", "could not obtain lock")


def is_busy_error(exc: BaseException) -> bool:
    """True for a database error that means "locked or overloaded right now", not "broken"."""
    if not isinstance(exc, OperationalError):
        return False
    for candidate in (exc, exc.__cause__):
        if candidate is None:
            continue
        sqlstate = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if sqlstate in BUSY_SQLSTATES:
            return True
        text = str(candidate).lower()
        if any(message in text for message in BUSY_MESSAGES):
            return True
    return False


class DatabaseBusyMiddleware:
    """Answer a view's lock timeout with 503 + Retry-After (problem+json under /api/, a page otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_error(exception):
            return None
        from intact.core.backpressure import busy_response

        return busy_response(request)
