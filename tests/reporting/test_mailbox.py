"""The reporter's mailbox: receipt login, throttling, the bounded KDF, messages."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intact.reporting import receipts, services
from intact.reporting.models import MailboxThrottle, Message, Report
from intact.security.models import AuditEntry
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def _wrong(receipt: str) -> str:
    last = receipt[-1]
    other = "0" if last != "0" else "1"
    return receipt[:-1] + other


def mailbox_url(org):
    return reverse("reporting_public:mailbox", kwargs={"org": org.slug})


def test_right_receipt_opens_the_mailbox(client, org):
    report, receipt = make_report(org)
    r = client.post(mailbox_url(org), {"receipt": receipts.format_receipt(receipt).lower()})
    assert r.status_code == 302
    page = client.get(mailbox_url(org))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Uw meldingspostbus" in html
    assert "Ontvangen" in html  # status
    assert AuditEntry.objects.filter(action="reporting.mailbox_login", object_id=str(report.pk)).exists()


@pytest.mark.parametrize("bad", ["", "nonsense", "AAAAA-AAAAA-AAAAA-AAAA", "!!!!!-!!!!!-!!!!!-!!!!!"])
def test_malformed_receipt_gets_the_generic_message(client, org, bad):
    make_report(org)
    r = client.post(mailbox_url(org), {"receipt": bad})
    assert r.status_code == 400
    assert "Uw meldingspostbus" not in r.content.decode()


def test_wrong_and_unknown_receipts_give_the_same_message(client, org):
    _report, receipt = make_report(org)
    wrong_secret = client.post(mailbox_url(org), {"receipt": _wrong(receipt)})
    unknown = client.post(mailbox_url(org), {"receipt": receipts.generate()})
    assert wrong_secret.status_code == unknown.status_code == 400
    strip = lambda r: re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)  # noqa: E731
    assert strip(wrong_secret) == strip(unknown)


def test_receipt_of_another_organisation_does_not_open(client, org, other_org):
    _report, receipt = make_report(org)
    with pytest.raises(services.InvalidReceipt):
        services.mailbox_login(organisation=other_org, receipt=receipt)


def test_lock_out_after_repeated_wrong_secrets(org):
    report, receipt = make_report(org)
    limit = services.mailbox_policy()["failures_before_lock"]
    for _ in range(limit):
        with pytest.raises(services.InvalidReceipt):
            services.mailbox_login(organisation=org, receipt=_wrong(receipt))
    report.refresh_from_db()
    assert report.receipt_failures == limit
    assert report.receipt_locked_until is not None and report.receipt_locked_until > timezone.now()
    first_lock = report.receipt_locked_until
    # Locked: even the right receipt does not open, and the message is the generic one.
    with pytest.raises(services.MailboxLocked):
        services.mailbox_login(organisation=org, receipt=receipt)
    # After the lock the right receipt works and resets the counter.
    Report.objects.filter(pk=report.pk).update(receipt_locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.mailbox_login(organisation=org, receipt=receipt).pk == report.pk
    report.refresh_from_db()
    assert report.receipt_failures == 0 and report.receipt_locked_until is None
    assert first_lock - timezone.now() <= dt.timedelta(minutes=16)


def test_lock_grows_with_more_failures():
    one = services._lock_for(services.mailbox_policy()["failures_before_lock"])
    two = services._lock_for(services.mailbox_policy()["failures_before_lock"] + 1)
    many = services._lock_for(200)
    assert one < two <= many == dt.timedelta(hours=services.mailbox_policy()["lock_hours_max"])
    assert services._lock_for(1) is None


def test_global_failure_budget_answers_busy(client, org):
    _report, receipt = make_report(org)
    window = timezone.now().replace(second=0, microsecond=0)
    MailboxThrottle.objects.create(window_start=window, failures=services.mailbox_policy()["global_failures_per_minute"])
    with pytest.raises(services.MailboxBusy):
        services.mailbox_login(organisation=org, receipt=receipt)
    r = client.post(mailbox_url(org), {"receipt": receipt})
    # The window may have just rolled over; then the login works. Otherwise 503 with Retry-After.
    if r.status_code == 503:
        assert r["Retry-After"]


def test_failures_count_towards_the_global_budget(org):
    make_report(org)
    before = services._global_failures(timezone.now())
    with pytest.raises(services.InvalidReceipt):
        services.mailbox_login(organisation=org, receipt=receipts.generate())
    assert services._global_failures(timezone.now()) >= before + 1 or timezone.now().second == 0


def test_unknown_lookup_still_costs_one_argon2(org, monkeypatch):
    make_report(org)
    calls = []
    real = receipts._argon2_verify

    def counting(h, p):
        calls.append(1)
        return real(h, p)

    monkeypatch.setattr(receipts, "_argon2_verify", counting)
    with pytest.raises(services.InvalidReceipt):
        services.mailbox_login(organisation=org, receipt=receipts.generate())
    assert len(calls) == 1


def test_kdf_semaphore_bounds_concurrency(settings, monkeypatch):
    """Many threads verifying at once: never more than INTACT_KDF_CONCURRENCY inside Argon2."""
    settings.INTACT_KDF_CONCURRENCY = 2
    settings.INTACT_KDF_WAIT_SECONDS = 30
    inside = 0
    peak = 0
    lock = threading.Lock()
    real = receipts._argon2_verify

    def tracking(h, p):
        nonlocal inside, peak
        with lock:
            inside += 1
            peak = max(peak, inside)
        try:
            time.sleep(0.01)
            return real(h, p)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(receipts, "_argon2_verify", tracking)
    stored = receipts.hash_secret("ABCDEFGHJKMNPQR")
    results = []

    def worker():
        results.append(receipts.verify_secret(stored, "ABCDEFGHJKMNPQR"))

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 24
    assert peak == 2


def test_kdf_busy_when_no_slot_frees(settings, org):
    settings.INTACT_KDF_CONCURRENCY = 1
    settings.INTACT_KDF_WAIT_SECONDS = 0.05
    _report, receipt = make_report(org)
    slots = receipts._semaphore()
    assert slots.acquire(timeout=1)
    try:
        with pytest.raises(services.MailboxBusy):
            services.mailbox_login(organisation=org, receipt=receipt)
    finally:
        slots.release()


def test_busy_page_is_503_with_retry_after(client, settings, org):
    settings.INTACT_KDF_CONCURRENCY = 1
    settings.INTACT_KDF_WAIT_SECONDS = 0.05
    _report, receipt = make_report(org)
    slots = receipts._semaphore()
    assert slots.acquire(timeout=1)
    try:
        r = client.post(mailbox_url(org), {"receipt": receipt})
    finally:
        slots.release()
    assert r.status_code == 503
    assert r["Retry-After"] == "5"


def test_blocked_mailbox_gets_a_neutral_message(client, org, make_user):
    report, receipt = make_report(org)
    coordinator = make_user(org, "coordinator")
    services.mailbox_block(report=report, user=coordinator, blocked=True)
    r = client.post(mailbox_url(org), {"receipt": receipt})
    assert r.status_code == 403
    assert "niet beschikbaar" in r.content.decode()
    assert "Uw meldingspostbus" not in r.content.decode()


def _login(client, org, receipt):
    assert client.post(mailbox_url(org), {"receipt": receipt}).status_code == 302


def test_messages_read_reply_and_notification(client, org, make_user, django_capture_on_commit_callbacks):
    report, receipt = make_report(org, notify_email="melder@example.test")
    handler = make_user(org, "coordinator")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.handler_message_send(report=report, author=handler, body="Kunt u de datum noemen?")
    assert len(mail.outbox) == 1
    note = mail.outbox[0]
    assert note.to == ["melder@example.test"]
    assert "Kunt u" not in note.body and "datum" not in note.body and "Kunt u" not in note.subject
    _login(client, org, receipt)
    page = client.get(mailbox_url(org)).content.decode()
    assert "Kunt u de datum noemen?" in page
    assert Message.objects.get(direction="to_reporter").read_at is not None
    r = client.post(reverse("reporting_public:mailbox_reply", kwargs={"org": org.slug}),
                    {"body": "Het was op 3 maart."})
    assert r.status_code == 302
    assert Message.objects.filter(direction="from_reporter").get().body == "Het was op 3 maart."
    assert report.events.filter(kind="message_from_reporter", visible_to_reporter=True).exists()


def test_empty_reply_is_refused(client, org):
    _report, receipt = make_report(org)
    _login(client, org, receipt)
    r = client.post(reverse("reporting_public:mailbox_reply", kwargs={"org": org.slug}), {"body": "  "})
    assert r.status_code == 400
    assert Message.objects.count() == 0


def test_update_notification_email(client, org):
    report, receipt = make_report(org)
    _login(client, org, receipt)
    url = reverse("reporting_public:mailbox_email", kwargs={"org": org.slug})
    assert client.post(url, {"notify_email": "not-an-address"}).status_code == 400
    assert client.post(url, {"notify_email": "nieuw@example.test"}).status_code == 200
    report.refresh_from_db()
    assert report.notify_email == "nieuw@example.test"
    client.post(url, {"notify_email": ""})
    report.refresh_from_db()
    assert report.notify_email is None


def test_meeting_request_from_the_mailbox(client, org):
    report, receipt = make_report(org)
    _login(client, org, receipt)
    client.post(reverse("reporting_public:mailbox_meeting", kwargs={"org": org.slug}))
    report.refresh_from_db()
    assert report.meeting_requested


def test_logout_and_idle_expiry(client, org):
    _report, receipt = make_report(org)
    _login(client, org, receipt)
    assert "Uw meldingspostbus" in client.get(mailbox_url(org)).content.decode()
    client.post(reverse("reporting_public:mailbox_logout", kwargs={"org": org.slug}))
    assert "Uw meldingspostbus" not in client.get(mailbox_url(org)).content.decode()
    _login(client, org, receipt)
    session = client.session
    state = session["intact_mailbox"]
    state["seen"] -= 21 * 60
    session["intact_mailbox"] = state
    session.save()
    assert "Uw meldingspostbus" not in client.get(mailbox_url(org)).content.decode()
    # Expired session: a reply is not accepted.
    r = client.post(reverse("reporting_public:mailbox_reply", kwargs={"org": org.slug}), {"body": "x"})
    assert r.status_code == 302 and "verlopen" in r["Location"]
    assert Message.objects.count() == 0


def test_mailbox_session_is_not_a_staff_login(client, org):
    _report, receipt = make_report(org)
    _login(client, org, receipt)
    r = client.get(f"/app/{org.slug}/")
    assert r.status_code in (302, 404)
    assert "_auth_user_id" not in client.session


def test_mailbox_of_one_org_is_not_open_in_another(client, org, other_org):
    _report, receipt = make_report(org)
    _login(client, org, receipt)
    assert "Uw meldingspostbus" not in client.get(mailbox_url(other_org)).content.decode()


def test_timeline_shows_acknowledgement_and_closing_reason(client, org, make_user):
    report, receipt = make_report(org)
    handler = make_user(org, "coordinator")
    services.report_acknowledge(report=report, user=handler)
    services.report_close(report=report, user=handler, reason="Er is onvoldoende grond voor onderzoek.")
    _login(client, org, receipt)
    html = client.get(mailbox_url(org)).content.decode()
    assert "Ontvangst bevestigd door de behandelaar" in html
    assert "Er is onvoldoende grond voor onderzoek." in html
    assert "Afgesloten" in html


def test_internal_notes_never_reach_the_reporter(client, org, make_user):
    report, receipt = make_report(org)
    handler = make_user(org, "coordinator")
    services.internal_note_add(report=report, author=handler, body="INTERNENOTITIE-geheim")
    _login(client, org, receipt)
    assert "INTERNENOTITIE" not in client.get(mailbox_url(org)).content.decode()


def test_no_reply_on_a_closed_report(org, make_user):
    report, _receipt = make_report(org)
    services.report_close(report=report, user=make_user(org, "coordinator"), reason="Afgehandeld.")
    report.refresh_from_db()
    with pytest.raises(services.ReportInvalid):
        services.reporter_message_send(report=report, body="Nog iets")
    assert not Message.objects.filter(direction="from_reporter").exists()


def test_reporter_is_always_told_when_the_identity_was_revealed(client, org):
    from intact.reporting.models import ReportEvent

    report, receipt = make_report(org, anonymity="confidential")
    ReportEvent.objects.create(report=report, kind="identity_reveal_approved", at=timezone.now(),
                               visible_to_reporter=False, detail={"request": 1})
    ReportEvent.objects.create(report=report, kind="identity_reveal_requested", at=timezone.now(),
                               visible_to_reporter=False, detail={"request": 1})
    _login(client, org, receipt)
    html = client.get(mailbox_url(org)).content.decode()
    assert "Uw identiteit is aan een behandelaar getoond" in html
    from intact.reporting import selectors

    kinds = [e.kind for e in selectors.mailbox_timeline(report=report)]
    assert "identity_reveal_approved" in kinds and "identity_reveal_requested" not in kinds
