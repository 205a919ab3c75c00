"""Shed load instead of queueing it.

Every web process does at most ``INTACT_REQUEST_CONCURRENCY`` (4) requests at
the same time. A request that finds every slot taken waits, first come first
served, at most ``INTACT_REQUEST_QUEUE_SECONDS`` (20) for one, with at most
``INTACT_REQUEST_QUEUE`` (96) others; otherwise it is answered with **503 and
``Retry-After``**, before any view, session, database or audit work: a request
refused here has changed nothing, so a client may send the same request again
after the pause (the load test does, docs/benchmarks.md).

Why: on an overloaded machine a queue in front of the application (the
kernel's listen backlog, gunicorn's thread pool) only grows, and requests
are worked through long after their client gave up — a submission stored
after the browser timed out shows no receipt to anyone. Here the wait is
bounded (well under a browser's or proxy's 60 s) and fair: a freed slot goes
to the request that has waited longest, and whoever cannot be served in time
gets an honest "busy, try again in N seconds" instead of a page that hangs.
(A shorter queue sheds earlier, but then the refused requests compete at
random on their retries and a few wait far longer: docs/benchmarks.md.)

The web server must give each process more threads than the limit, or the
queue moves back into the server where nobody sees it: ``scripts/serve``
runs gunicorn with ``INTACT_WEB_THREADS`` (default 112) threads per worker,
a small ``--backlog`` and bounded ``--worker-connections``. ``/healthz`` is
never refused, so a monitor or the restart after a crash sees a busy server
as alive. The counter is released however the view ends (response or
exception); for a streamed response it is released when the view returns,
not when the last byte is sent.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
EXEMPT_PATHS = frozenset({"/healthz"})
LOG_EVERY_SECONDS = 10.0

logger = logging.getLogger(__name__)


class Gate:
    """Per-process count of requests at work, with a short, bounded, first-come-first-served wait.

    A freed slot is handed straight to the request that has waited longest, so
    a newcomer cannot overtake the queue and no waiting request is starved.
    """

    def __init__(self, *, limit: int, queue: int, wait_seconds: float) -> None:
        self.limit = limit
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.active = 0
        self._waiters: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def acquire(self) -> bool:
        """Take a slot; False (nothing taken) when none frees up in time."""
        with self._lock:
            if self.active < self.limit and not self._waiters:
                self.active += 1
                return True
            if self.wait_seconds <= 0 or len(self._waiters) >= self.queue:
                return False
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(self.wait_seconds):
            return True
        with self._lock:
            if turn.is_set():  # handed a slot just as the wait ran out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()  # the slot passes on; ``active`` stays the same
            else:
                self.active -= 1


def _retry_after() -> int:
    return max(1, int(getattr(settings, "INTACT_BUSY_RETRY_AFTER", 2)))


def busy_response(request: HttpRequest, *, code: str = "overloaded") -> HttpResponse:
    """503 with Retry-After: problem+json under /api/, a short page otherwise (Dutch or English).

    ``code`` (a problem extension member) tells a client who refused: ``shed``
    for this module's gate (nothing was started), ``overloaded`` for callers
    that rolled back their work (``reporting.dbbusy``).
    """
    language = translation.get_language_from_request(request)
    retry_after = _retry_after()
    with translation.override(language):
        if request.path.startswith("/api/"):
            body = {
                "type": "about:blank",
                "title": _("Te druk"),
                "status": 503,
                "code": code,  # who refused: told apart in the load test (docs/benchmarks.md)
                "detail": _("Het is op dit moment te druk. Er is niets opgeslagen; "
                            "probeer het over %(seconds)s seconden opnieuw.") % {"seconds": retry_after},
            }
            response = HttpResponse(json.dumps(body), status=503, content_type=PROBLEM_CONTENT_TYPE)
        else:
            html = render_to_string("core/busy.html", {"retry_after": retry_after,
                                                       "language": translation.get_language()})
            response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = "DENY"
    response["Vary"] = "Accept-Language, Cookie"
    return response


class BackpressureMiddleware:
    """Answer 503 + Retry-After when this process already has its limit of requests at work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        limit = int(getattr(settings, "INTACT_REQUEST_CONCURRENCY", 4))
        if limit <= 0:
            raise MiddlewareNotUsed("INTACT_REQUEST_CONCURRENCY=0: no load shedding")
        self.get_response = get_response
        self._shed = 0
        self._shed_logged_at = 0.0
        self.gate = Gate(
            limit=limit,
            queue=int(getattr(settings, "INTACT_REQUEST_QUEUE", 96)),
            wait_seconds=float(getattr(settings, "INTACT_REQUEST_QUEUE_SECONDS", 20.0)),
        )

    def _note_shed(self) -> None:
        with self.gate._lock:
            self._shed += 1
            now = time.monotonic()
            if now - self._shed_logged_at < LOG_EVERY_SECONDS:
                return
            count, self._shed, self._shed_logged_at = self._shed, 0, now
        logger.warning("busy: %d request(s) answered 503 + Retry-After (load shedding)", count)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in EXEMPT_PATHS or request.path.startswith(settings.STATIC_URL or "/static/"):
            return self.get_response(request)
        if not self.gate.acquire():
            response = busy_response(request, code="shed")
            # Expected under overload, not a server error: one warning with a count every
            # LOG_EVERY_SECONDS instead of Django's ERROR line per 503 (and no client detail).
            response._has_been_logged = True  # type: ignore[attr-defined]
            self._note_shed()
            return response
        try:
            return self.get_response(request)
        finally:
            self.gate.release()
