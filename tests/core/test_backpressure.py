"""Load shedding: 503 + Retry-After before any work when a process has its limit of requests at work."""

from __future__ import annotations

import json
import threading

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from intact.core import backpressure
from intact.core.backpressure import BackpressureMiddleware, Gate

rf = RequestFactory()


class HeldView:
    """A view that holds its slot until released, counting how often it ran."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        if request.path == "/hold":
            self.entered.set()
            assert self.release.wait(10)
        return HttpResponse("done")


def _hold_one(mw: BackpressureMiddleware, view: HeldView) -> threading.Thread:
    t = threading.Thread(target=mw, args=(rf.get("/hold"),), daemon=True)
    t.start()
    assert view.entered.wait(10)
    return t


@override_settings(INTACT_REQUEST_CONCURRENCY=1, INTACT_REQUEST_QUEUE=0, INTACT_BUSY_RETRY_AFTER=3)
def test_limit_exceeded_answers_503_with_retry_after_without_running_the_view():
    view = HeldView()
    mw = BackpressureMiddleware(view)
    t = _hold_one(mw, view)
    try:
        response = mw(rf.post("/api/v1/organisations/x/reports/", data={}, HTTP_ACCEPT_LANGUAGE="nl"))
        assert response.status_code == 503
        assert response["Retry-After"] == "3"
        assert response["Content-Type"] == "application/problem+json"
        body = json.loads(response.content)
        assert body["status"] == 503 and body["title"] == "Te druk" and body["code"] == "shed"
        assert "niets opgeslagen" in body["detail"]
        assert view.calls == 1  # only the held request reached the view
    finally:
        view.release.set()
        t.join(10)
    # The slot is free again: the next request goes through.
    assert mw(rf.get("/api/v1/x")).status_code == 200
    assert view.calls == 2


@override_settings(INTACT_REQUEST_CONCURRENCY=1, INTACT_REQUEST_QUEUE=0, LANGUAGE_CODE="nl")
def test_busy_page_is_html_in_the_requested_language():
    view = HeldView()
    mw = BackpressureMiddleware(view)
    t = _hold_one(mw, view)
    try:
        nl = mw(rf.get("/o/org-a/melden/", HTTP_ACCEPT_LANGUAGE="nl"))
        en = mw(rf.get("/o/org-a/melden/", HTTP_ACCEPT_LANGUAGE="en"))
    finally:
        view.release.set()
        t.join(10)
    for response in (nl, en):
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert int(response["Retry-After"]) >= 1
        assert response["Cache-Control"] == "no-store"
    html_nl, html_en = nl.content.decode(), en.content.decode()
    assert '<html lang="nl"' in html_nl and "Even geduld: het is erg druk" in html_nl
    assert html_nl.count("<h1") == 1 and "<main" in html_nl
    assert '<html lang="en"' in html_en and "Please wait: it is very busy" in html_en
    assert "nothing was stored" in html_en
    assert "<script" not in html_nl and "style=" not in html_nl


@override_settings(INTACT_REQUEST_CONCURRENCY=1, INTACT_REQUEST_QUEUE=0)
def test_healthz_is_never_refused():
    view = HeldView()
    mw = BackpressureMiddleware(view)
    t = _hold_one(mw, view)
    try:
        assert mw(rf.get("/healthz")).status_code == 200
        assert mw(rf.get("/other")).status_code == 503
    finally:
        view.release.set()
        t.join(10)


@override_settings(INTACT_REQUEST_CONCURRENCY=1, INTACT_REQUEST_QUEUE=0)
def test_counter_is_released_when_the_view_raises():
    def boom(request):
        raise RuntimeError("view failed")

    mw = BackpressureMiddleware(boom)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            mw(rf.get("/x"))
    assert mw.gate.active == 0
    mw.get_response = lambda request: HttpResponse("ok")
    assert mw(rf.get("/x")).status_code == 200


@override_settings(INTACT_REQUEST_CONCURRENCY=1, INTACT_REQUEST_QUEUE=1, INTACT_REQUEST_QUEUE_SECONDS=10)
def test_a_waiting_request_gets_the_slot_when_it_frees_and_the_queue_is_bounded():
    view = HeldView()
    mw = BackpressureMiddleware(view)
    t = _hold_one(mw, view)
    results: list[int] = []
    waiter = threading.Thread(target=lambda: results.append(mw(rf.get("/w")).status_code), daemon=True)
    waiter.start()
    try:
        for _ in range(200):  # until the waiter is queued
            if mw.gate.waiting == 1:
                break
            threading.Event().wait(0.01)
        assert mw.gate.waiting == 1
        # The queue (1) is full: a third request is refused at once.
        assert mw(rf.get("/third")).status_code == 503
    finally:
        view.release.set()
        t.join(10)
        waiter.join(10)
    assert results == [200]
    assert mw.gate.active == 0 and mw.gate.waiting == 0


def test_gate_times_out_without_taking_a_slot():
    gate = Gate(limit=1, queue=5, wait_seconds=0.05)
    assert gate.acquire()
    assert not gate.acquire()
    assert gate.active == 1 and gate.waiting == 0
    gate.release()
    assert gate.acquire()


def test_the_middleware_sits_after_the_security_headers_and_before_sessions():
    mw = settings.MIDDLEWARE
    i = mw.index("intact.core.backpressure.BackpressureMiddleware")
    assert i > mw.index("csp.middleware.CSPMiddleware")
    assert i > mw.index("django.middleware.security.SecurityMiddleware")
    assert i < mw.index("django.contrib.sessions.middleware.SessionMiddleware")


@pytest.mark.django_db
def test_shed_requests_are_a_warning_with_a_count_not_an_error_per_request(client, monkeypatch, caplog):
    import logging

    monkeypatch.setattr(backpressure.Gate, "acquire", lambda self: False)
    request_log = logging.getLogger("django.request")  # does not propagate: listen to it directly
    request_log.addHandler(caplog.handler)
    try:
        with caplog.at_level("WARNING"):
            for _ in range(3):
                assert client.get("/api/v1/mailbox/report").status_code == 503
            # The same logger does report a real server error (so the check above can fail).
            from django.http import HttpResponse
            from django.utils.log import log_response

            log_response("Service Unavailable: %s", "/x", response=HttpResponse(status=503))
    finally:
        request_log.removeHandler(caplog.handler)
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == ["Service Unavailable: /x"]
    shed = [r for r in caplog.records if r.name == "intact.core.backpressure"]
    assert len(shed) == 1 and "1 request(s)" in shed[0].getMessage()  # then quiet for 10 s


@pytest.mark.django_db
def test_refused_submission_through_the_whole_stack_stores_nothing(client, org, monkeypatch):
    from intact.reporting.models import Report
    from intact.security.models import AuditEntry

    def submit():
        return client.post(
            f"/api/v1/organisations/{org.slug}/reports/",
            data={"report_type": "wrongdoing", "anonymity": "anonymous",
                  "answers": {"what": "Iemand sjoemelt met declaraties."}},
            content_type="application/json",
        )

    monkeypatch.setattr(backpressure.Gate, "acquire", lambda self: False)
    audit_before = AuditEntry.objects.count()
    response = submit()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Content-Security-Policy" in response  # the security headers still apply
    assert Report.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert "sessionid" not in response.cookies and "intact_session" not in response.cookies
    # The same request, once there is room, is stored (so the 503 really prevented the work).
    monkeypatch.undo()
    assert submit().status_code == 201
    assert Report.objects.count() == 1


def test_gate_hands_freed_slots_to_the_longest_waiting_request_first():
    gate = Gate(limit=1, queue=2, wait_seconds=10)
    assert gate.acquire()
    order: list[str] = []

    def wait_for_slot(name: str) -> None:
        if gate.acquire():
            order.append(name)

    threads = []
    for name in ("first", "second"):
        t = threading.Thread(target=wait_for_slot, args=(name,), daemon=True)
        t.start()
        threads.append(t)
        for _ in range(500):
            if gate.waiting == len(threads):
                break
            threading.Event().wait(0.01)
        assert gate.waiting == len(threads)
    gate.release()
    threads[0].join(10)
    assert order == ["first"]
    # The slot was handed over, not freed: a newcomer still finds the gate full and the queue
    # (one waiting of two) is still served first.
    assert gate.active == 1 and gate.waiting == 1
    gate.release()
    threads[1].join(10)
    assert order == ["first", "second"]
    gate.release()
    assert gate.active == 0 and gate.waiting == 0
