"""Intake and mailbox under load: few queries per submission, a locked database answers 503, races are harmless.

The lock tests hold a real lock from a second database connection (SQLite:
the write lock, ``BEGIN IMMEDIATE``; PostgreSQL: the audit chain's head row,
``FOR UPDATE``) and shorten this connection's wait for it, so the request
meets exactly what a flood produces: "database is locked" or
``lock_timeout``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from intact.reporting import dbbusy, services
from intact.reporting.models import Question, Report, ReportEvent, ReportSequence
from intact.reporting.models_procedures import ReportRoute, ReportTerm, TermEvent
from intact.security import audit
from intact.security.models import AuditEntry
from tests.reporting.factories import make_report

PROBLEM = "application/problem+json"
BODY = {"report_type": "wrongdoing", "anonymity": "anonymous",
        "answers": {"what": "Er worden declaraties dubbel ingediend."}}


def submit_url(org):
    return f"/api/v1/organisations/{org.slug}/reports/"


def _statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


# --- queries per submission -------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_submission_is_a_small_constant_number_of_queries(org, make_user):
    make_user(org, "coordinator")
    make_user(org, "coordinator")
    make_user(org, "competent_authority")
    api = APIClient()
    assert api.post(submit_url(org), BODY, format="json").status_code == 201  # defaults created on first use
    with CaptureQueriesContext(connection) as ctx:
        r = api.post(submit_url(org), BODY, format="json")
    assert r.status_code == 201, r.content
    sql = _statements(ctx)
    # Was 61 before the intake was trimmed (one get_or_create per term, one chain-head read per
    # audit entry, savepoints around each). Now: reads before the transaction (organisation,
    # questions, receipt lookup), and in it one statement per table written.
    assert len(sql) <= 22, "\n".join(sql)
    # No savepoints inside the submission (the one there is: the test's own transaction around it).
    assert sum(s.startswith("SAVEPOINT") for s in sql) <= 1, "\n".join(sql)
    head_reads = [s for s in sql if "security_audithead" in s and s.lstrip().upper().startswith("SELECT")]
    assert len(head_reads) == 1
    # The work is all there: first recipient (the competent authority), route, two terms, events.
    report = Report.objects.order_by("-pk").first()
    assert report.accesses.count() == 1
    assert ReportRoute.objects.filter(report=report).count() == 1
    assert ReportTerm.objects.filter(report=report).count() == 2
    assert TermEvent.objects.filter(term__report=report, kind="started").count() == 2
    assert list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True)) == [
        "received", "access_granted"]
    actions = list(
        AuditEntry.objects.filter(object_type="reporting.report", object_id=str(report.pk))
        .order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["reporting.report_submitted", "reporting.access_granted", "reporting.report_routed"]
    assert audit.verify().ok


@pytest.mark.django_db
def test_submission_queries_do_not_grow_with_staff_or_units(org, make_user):
    from tests.organisations.factories import UnitFactory

    api = APIClient()
    make_user(org, "coordinator")
    api.post(submit_url(org), BODY, format="json")
    with CaptureQueriesContext(connection) as small:
        api.post(submit_url(org), BODY, format="json")
    parent = UnitFactory(organisation=org)
    for _ in range(6):
        unit = UnitFactory(organisation=org, parent=parent)
        make_user(org, "competent_authority", unit=unit)
        make_user(org, "coordinator")
    with CaptureQueriesContext(connection) as large:
        r = api.post(submit_url(org), BODY, format="json")
    assert r.status_code == 201
    # Recipients are written with one INSERT whatever their number.
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


@pytest.mark.django_db
def test_references_count_per_organisation_and_year(org, other_org):
    refs = [make_report(org)[0].reference for _ in range(3)]
    other = make_report(other_org)[0].reference
    year = refs[0].split("-")[1]
    assert refs == [f"M-{year}-0001", f"M-{year}-0002", f"M-{year}-0003"]
    assert other == f"M-{year}-0001"
    assert ReportSequence.objects.get(organisation=org, year=int(year)).last == 3
    assert services._next_reference(org, 1999) == "M-1999-0001"


@pytest.mark.django_db
def test_staff_intake_grants_the_registrar_once(org, make_user):
    registrar = make_user(org, "coordinator")
    report, _receipt = make_report(org, registered_by=registrar, channel="phone")
    assert report.accesses.filter(user=registrar, revoked_at__isnull=True).count() == 1
    reasons = sorted(report.accesses.values_list("reason", flat=True))
    assert reasons == ["intake"]  # the registrar is also the fallback recipient: not granted twice
    assert audit.verify().ok


# --- a database that is too busy answers 503 ------------------------------------------------


@contextmanager
def _locked(wait_ms: int = 300):
    """Hold the lock a submission or login needs, from a second connection; this one waits ``wait_ms``."""
    audit.record("system", "test.head")  # the chain head row exists
    other = connections.create_connection("default")
    other.connect()
    cursor = other.connection.cursor()
    if connection.vendor == "sqlite":
        connection.cursor().execute(f"PRAGMA busy_timeout = {wait_ms}")
        cursor.execute("BEGIN IMMEDIATE")
    else:
        connection.cursor().execute(f"SET lock_timeout = '{wait_ms}ms'")
        other.connection.autocommit = False
        cursor.execute("SELECT id FROM security_audithead WHERE id = 1 FOR UPDATE")
    # Should this connection not time out (a wait that never ends would hang the test run),
    # the lock is let go after a while: the request then succeeds and the test fails instead.
    release = threading.Timer(30, other.connection.rollback)
    release.start()
    try:
        yield
    finally:
        release.cancel()
        other.connection.rollback()
        other.close()
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA busy_timeout = 20000")
        else:
            connection.cursor().execute("RESET lock_timeout")


@pytest.mark.django_db(transaction=True)
def test_locked_database_answers_submission_with_503_and_stores_nothing(org):
    api = APIClient()
    assert api.post(submit_url(org), BODY, format="json").status_code == 201
    before = Report.objects.count()
    with _locked():
        r = api.post(submit_url(org), BODY, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 503, r.content
    assert r["Content-Type"].startswith(PROBLEM)
    assert int(r["Retry-After"]) > 0
    assert "busy" in r.json()["detail"].lower()
    assert Report.objects.count() == before
    # Once the lock is gone the next submission goes through and the chain is whole.
    assert api.post(submit_url(org), BODY, format="json").status_code == 201
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_locked_database_answers_mailbox_login_with_503(org):
    _report, receipt = make_report(org)
    api = APIClient()
    with _locked():
        r = api.post("/api/v1/mailbox/session", {"organisation": org.slug, "receipt": receipt}, format="json")
        page_nl = APIClient().post(reverse("reporting_public:mailbox", kwargs={"org": org.slug}),
                                   {"receipt": receipt})
        page_en = APIClient().post(reverse("reporting_public:mailbox", kwargs={"org": org.slug}),
                                   {"receipt": receipt}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 503, r.content
    assert r["Content-Type"].startswith(PROBLEM)
    assert r["Retry-After"]
    assert page_nl.status_code == 503 and page_nl["Retry-After"]
    assert "erg druk" in page_nl.content.decode()
    assert page_en.status_code == 503
    assert "very busy" in page_en.content.decode()
    # Afterwards the same receipt opens the mailbox.
    assert api.post("/api/v1/mailbox/session", {"organisation": org.slug, "receipt": receipt},
                    format="json").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_locked_database_on_the_report_page_keeps_the_draft(org, client):
    """The reporter's pages: 503 with the Dutch "erg druk" text, the answers kept, then it goes through."""
    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "Vergrendeld maar bewaard"})
    with _locked():
        r = client.post(url, {"step": "submit"})
    assert r.status_code == 503, r.content.decode()[:2000]
    assert r["Retry-After"]
    assert "erg druk" in r.content.decode()
    assert Report.objects.count() == 0
    r = client.post(url, {"step": "submit"})
    assert r.status_code == 200
    assert Report.objects.get().answers["what"] == "Vergrendeld maar bewaard"


@pytest.mark.django_db
def test_throttle_write_that_meets_a_lock_answers_503_not_500(org, monkeypatch):
    """A flood of wrong receipts: the failure counter's write times out (seen on SQLite)."""
    _report, receipt = make_report(org)

    def locked(now):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "_global_fail", locked)
    wrong = receipt[:-1] + ("0" if receipt[-1] != "0" else "1")
    r = APIClient().post("/api/v1/mailbox/session", {"organisation": org.slug, "receipt": wrong},
                         format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 503
    assert r["Content-Type"].startswith(PROBLEM)
    assert r["Retry-After"]
    page = APIClient().post(reverse("reporting_public:mailbox", kwargs={"org": org.slug}), {"receipt": wrong})
    assert page.status_code == 503
    assert "erg druk" in page.content.decode()


@pytest.mark.django_db
def test_any_view_that_meets_a_lock_answers_503(org, monkeypatch, client):
    """The middleware: lock errors anywhere become 503 + Retry-After; other database errors stay errors."""
    from intact.organisations import selectors as org_selectors

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(org_selectors, "organisation_get_public", locked)
    page = client.get(reverse("reporting_public:mailbox", kwargs={"org": org.slug}), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 503
    assert page["Retry-After"]
    assert page["Content-Type"].startswith("text/html")
    assert "busy" in page.content.decode().lower()
    api = APIClient().post(submit_url(org), BODY, format="json")
    assert api.status_code == 503
    assert api["Content-Type"].startswith(PROBLEM)
    assert api["Retry-After"]

    def broken(**kwargs):
        raise OperationalError("no such table: organisations_organisation")

    monkeypatch.setattr(org_selectors, "organisation_get_public", broken)
    with pytest.raises(OperationalError):
        client.get(reverse("reporting_public:mailbox", kwargs={"org": org.slug}))


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__("canceling statement")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("cause,busy", [
    (_PgError("55P03"), True),   # lock_timeout
    (_PgError("40P01"), True),   # deadlock
    (_PgError("40001"), True),   # serialisation failure
    (_PgError("42P01"), False),  # undefined table: a real error
])
def test_busy_error_recognises_postgresql_sqlstates(cause, busy):
    exc = OperationalError("x")
    exc.__cause__ = cause
    assert dbbusy.is_busy_error(exc) is busy


def test_busy_error_recognises_sqlite_messages():
    assert dbbusy.is_busy_error(OperationalError("database is locked"))
    assert not dbbusy.is_busy_error(OperationalError("disk I/O error"))
    assert not dbbusy.is_busy_error(ValueError("database is locked"))


# --- races of the first submissions ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_first_submissions_at_once_create_the_defaults_once(org, monkeypatch):
    """Both pass the "no questions yet" check before either writes (the PostgreSQL load run hit this)."""
    barrier = threading.Barrier(2, timeout=10)
    real = Question.objects.bulk_create
    errors: list[BaseException] = []

    def both_at_once(rows, **kwargs):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return real(rows, **kwargs)

    monkeypatch.setattr(Question.objects, "bulk_create", both_at_once)

    def first_use() -> None:
        try:
            services.questionnaire_ensure_defaults(org)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    defaults = services.questionnaire_defaults()["types"]
    for report_type, questions in defaults.items():
        keys = list(Question.objects.filter(organisation=org, report_type=report_type).values_list("key", flat=True))
        assert sorted(keys) == sorted(q["key"] for q in questions)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references_and_a_whole_chain(org):
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            report, _receipt = make_report(org)
            with lock:
                results.append(report.reference)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 4
    assert audit.verify().ok


# --- the staff notice -----------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_notice_is_a_task_stored_with_the_report(org, make_user, settings):
    """With the database task backend the notice is written in the submission's transaction, not mailed inline."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with_address = make_user(org, "competent_authority")
    with_address.email = "bevoegd@example.test"
    with_address.save()
    informed = make_user(org, "coordinator")  # told of wrongdoing reports, but has no address
    informed.email = ""
    informed.save()
    report, _receipt = make_report(org)
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 1
    assert tasks[0].task_path.endswith("staff_waiting_mail_task")
    assert tasks[0].args_kwargs["kwargs"]["user_ids"] == [with_address.pk]
    assert mail.outbox == []
    assert report.accesses.filter(user=with_address).exists()


@pytest.mark.django_db
def test_no_notice_for_recipients_without_an_address(org, make_user, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_user(org, "coordinator")
    user.email = ""
    user.save()
    report, _receipt = make_report(org)
    assert report.accesses.filter(user=user).exists()
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_notice_task_mails_the_recipients(org, make_user):
    from django.core import mail

    from intact.reporting.tasks import staff_waiting_mail_task

    user = make_user(org, "coordinator")
    user.email = "coordinator@example.test"
    user.save()
    result = staff_waiting_mail_task.enqueue(user_ids=[user.pk], organisation_slug=org.slug)  # immediate backend
    assert result.return_value == 1
    assert [m.to for m in mail.outbox] == [["coordinator@example.test"]]
    assert "M-" not in mail.outbox[0].body  # content-free: no reference
