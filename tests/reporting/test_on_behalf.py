"""Intake on behalf of a reporter: channels, anonymous through the counsellor, minutes, receipt once."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting import services
from intact.reporting.models import Message, Report, ReporterIdentity

pytestmark = pytest.mark.django_db


def _post(client, org, **data):
    base = {"channel": "phone", "report_type": "undesirable_behaviour", "anonymity": "named",
            "name": "Piet Beller", "email": "", "phone": "0101234567", "what": "Pesterijen op de afdeling.",
            "implicated": "", "oral_record": "minutes", "minutes": "Melder belde om 10 uur en vertelde ...",
            "recording_consent": ""}
    base.update(data)
    return client.post(f"/app/{org.slug}/meldingen/registreren/", {k: v for k, v in base.items() if v != ""})


def test_counsellor_registers_phone_report_with_minutes_and_receipt_once(org, make_user, login, client):
    counsellor = make_user(org, Role.COUNSELLOR)
    login(counsellor)
    response = _post(client, org)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    report = Report.objects.get()
    assert report.channel == "phone" and report.registered_by == counsellor and report.oral_record == "minutes"
    receipt = response.context["receipt"]
    assert receipt in response.content.decode()
    # The receipt opens the mailbox; the minutes wait there to be checked.
    assert services.mailbox_login(organisation=org, receipt=receipt).pk == report.pk
    minutes = Message.objects.get(report=report)
    assert "Melder belde om 10 uur" in minutes.body and minutes.direction == "to_reporter"
    # The counsellor records the reporter's confirmation.
    client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/minutes-confirmed/")
    report.refresh_from_db()
    assert report.minutes_confirmed_at is not None
    assert report.events.filter(kind="minutes_confirmed", visible_to_reporter=True).exists()
    # The detail page never shows the receipt again.
    assert receipt not in client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()


def test_anonymous_through_the_counsellor_stores_no_identity(org, make_user, login, client):
    counsellor = make_user(org, Role.COUNSELLOR)
    login(counsellor)
    response = _post(client, org, through_counsellor="on", channel="in_person")
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.anonymity == "anonymous" and report.channel == "counsellor"
    assert not ReporterIdentity.objects.filter(report=report).exists()


def test_recording_needs_consent_and_nothing_partial_is_stored(org, make_user, login, client):
    manager = make_user(org, Role.MANAGER)
    login(manager)
    response = _post(client, org, channel="voice_message", oral_record="recording", minutes="")
    assert response.status_code == 400
    assert "toestemming" in response.content.decode()
    assert not Report.objects.exists()


def test_letter_needs_no_oral_record(org, make_user, login, client):
    manager = make_user(org, Role.MANAGER)
    login(manager)
    response = _post(client, org, channel="letter", oral_record="", minutes="", report_type="business_integrity")
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "letter" and report.oral_record == ""
    assert not Message.objects.filter(report=report).exists()


def test_only_counsellors_and_managers_register(org, other_org, make_user, login, client):
    for user, slug in ((make_user(org, Role.COORDINATOR), org.slug),
                       (make_user(org, Role.INVESTIGATOR), org.slug),
                       (make_user(other_org, Role.COUNSELLOR), org.slug)):
        login(user)
        assert client.get(f"/app/{slug}/meldingen/registreren/").status_code == 404
        assert _post(client, org).status_code == 404
    assert not Report.objects.exists()


def test_reporter_confirms_the_minutes_from_the_mailbox(org, make_user):
    from intact.reporting import services_staff

    counsellor = make_user(org, Role.COUNSELLOR)
    report, receipt = services_staff.report_register_on_behalf(
        organisation=org, user=counsellor, channel="in_person", report_type="undesirable_behaviour",
        anonymity="anonymous", answers={"what": "Intimidatie"}, oral_record="minutes",
        minutes="Gesprek op dinsdag.", through_counsellor=True)
    same = services.mailbox_login(organisation=org, receipt=receipt)
    services_staff.minutes_confirm_by_reporter(report=same)
    report.refresh_from_db()
    assert report.minutes_confirmed_at is not None
    assert report.events.filter(kind="minutes_confirmed", actor_label=services.REPORTER).exists()


def test_reporter_confirms_the_minutes_in_the_mailbox(org, make_user, login, client):
    from django.test import Client

    counsellor = make_user(org, Role.COUNSELLOR)
    login(counsellor)
    receipt = _post(client, org).context["receipt"]
    report = Report.objects.get()
    reporter = Client()
    reporter.post(f"/o/{org.slug}/postbus/", {"receipt": receipt})
    page = reporter.get(f"/o/{org.slug}/postbus/").content.decode()
    assert "verslag-bevestigen" in page  # the confirmation form is offered
    response = reporter.post(f"/o/{org.slug}/postbus/verslag-bevestigen/")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.minutes_confirmed_at is not None
    assert report.events.filter(kind="minutes_confirmed", visible_to_reporter=True).count() == 1
    assert "verslag-bevestigen" not in reporter.get(f"/o/{org.slug}/postbus/").content.decode()
