"""The staff inbox: list, detail, actions, downloads, start page; 404 for everyone else."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting import selectors
from intact.reporting.models import InternalNote, Message, ReportEvent, ReportStatus, ReportType
from intact.security.models import AuditEntry
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db

def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def setup(org, other_org, make_user):
    handler = make_user(org, Role.COMPETENT_AUTHORITY)
    implicated_user = make_user(org, Role.COORDINATOR)
    foreign = make_user(other_org, Role.COORDINATOR)
    person = implicated_user.people.get(organisation=org)
    report, receipt = make_report(org, report_type=ReportType.WRONGDOING, implicated=[person],
                                  attachments=[("bewijs.txt", b"regel een\n")])
    return {"handler": handler, "implicated": implicated_user, "foreign": foreign, "report": report,
            "receipt": receipt}


def _url(org, report, suffix=""):
    return f"/app/{org.slug}/meldingen/{report.reference}/{suffix}"


def test_inbox_lists_the_report_with_its_next_term(org, setup, login, client):
    login(setup["handler"])
    page = client.get(f"/app/{org.slug}/meldingen/").content.decode()
    assert setup["report"].reference in page
    assert "Ontvangstbevestiging" in page


def test_detail_shows_answers_terms_and_is_audited(org, setup, login, client):
    login(setup["handler"])
    response = client.get(_url(org, setup["report"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "declaraties dubbel" in page and "bewijs.txt" in page and "Termijnen" in page
    assert AuditEntry.objects.filter(action="reporting.report_viewed", object_id=str(setup["report"].pk)).exists()


def test_others_get_404_everywhere(org, other_org, setup, login, client):
    report = setup["report"]
    att = report.attachments.first()
    for user, slug in ((setup["implicated"], org.slug), (setup["foreign"], other_org.slug),
                       (setup["foreign"], org.slug)):
        login(user)
        assert client.get(f"/app/{slug}/meldingen/{report.reference}/").status_code == 404
        assert client.post(f"/app/{slug}/meldingen/{report.reference}/actie/acknowledge/").status_code == 404
        assert client.get(f"/app/{slug}/meldingen/{report.reference}/bijlagen/{att.pk}/").status_code == 404
        inbox = client.get(f"/app/{slug}/meldingen/")
        assert report.reference not in inbox.content.decode()
    report.refresh_from_db()
    assert report.acknowledged_at is None


def test_acknowledge_message_note_close(org, setup, login, client):
    report = setup["report"]
    login(setup["handler"])
    assert client.post(_url(org, report, "actie/acknowledge/")).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    assert any(e.kind == "acknowledged" for e in selectors.mailbox_timeline(report=report))

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vraag.png", _png(), content_type="image/png")
    response = client.post(_url(org, report, "actie/message/"), {"body": "Wanneer gebeurde dit?", "files": [upload]})
    assert response.status_code == 302
    msg = Message.objects.get(report=report)
    assert msg.body == "Wanneer gebeurde dit?" and msg.attachments.count() == 1
    assert [m.body for m in selectors.mailbox_messages(report=report)] == ["Wanneer gebeurde dit?"]

    assert client.post(_url(org, report, "actie/note/"), {"body": "Lijkt op eerdere zaak"}).status_code == 302
    assert InternalNote.objects.get(report=report).body == "Lijkt op eerdere zaak"
    # Never in the reporter's view: not a message, not a visible event.
    assert all("eerdere zaak" not in m.body for m in selectors.mailbox_messages(report=report))
    assert not ReportEvent.objects.filter(report=report, kind="note_added", visible_to_reporter=True).exists()

    response = client.post(_url(org, report, "actie/close/"), {"reason": ""})
    assert response.status_code == 400 and "role=\"alert\"" in response.content.decode()
    report.refresh_from_db()
    assert report.status != ReportStatus.CLOSED
    assert client.post(_url(org, report, "actie/close/"), {"reason": "Geen misstand gebleken."}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.close_reason == "Geen misstand gebleken."


def test_take_into_handling_and_block(org, setup, login, client):
    report = setup["report"]
    login(setup["handler"])
    response = client.post(_url(org, report, "actie/case/"))
    report.refresh_from_db()
    assert report.status == ReportStatus.CASE_OPENED
    from intact.cases.models import Case

    case = Case.objects.get(report=report)  # the case file is opened in the same step
    assert response["Location"].endswith(f"/zaken/{case.reference}/")
    client.post(_url(org, report, "actie/block/"))
    report.refresh_from_db()
    assert report.mailbox_blocked
    client.post(_url(org, report, "actie/unblock/"))
    report.refresh_from_db()
    assert not report.mailbox_blocked


def test_download_decrypts_and_is_audited(org, setup, login, client):
    report = setup["report"]
    att = report.attachments.first()
    login(setup["handler"])
    response = client.get(_url(org, report, f"bijlagen/{att.pk}/"))
    assert response.status_code == 200
    assert response.content == b"regel een\n"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="reporting.attachment_downloaded").count() == 1


def test_start_page_section_lists_due_and_overdue_terms(org, setup, login, client):
    import datetime as dt

    from django.utils import timezone

    from intact.reporting.models_procedures import ReportTerm
    from intact.reporting.selectors import start_sections

    report = setup["report"]
    today = timezone.localdate()
    ReportTerm.objects.filter(report=report, definition__code="acknowledgement").update(
        due_date=today - dt.timedelta(days=1))
    ReportTerm.objects.filter(report=report, definition__code="feedback").update(
        due_date=today + dt.timedelta(days=3))
    sections = start_sections(setup["handler"], org)
    assert len(sections) == 1
    ctx = sections[0]["context"]
    assert [t.definition.code for t in ctx["overdue"]] == ["acknowledgement"]
    assert [t.definition.code for t in ctx["due"]] == ["feedback"]
    # The implicated coordinator gets only the set-up links, nothing about the report.
    assert [s["template"] for s in start_sections(setup["implicated"], org)] == ["reporting/staff/start_setup.html"]
    login(setup["handler"])
    page = client.get(f"/app/{org.slug}/").content.decode()
    assert report.reference in page and "Verlopen" in page


def test_public_integrity_page_shows_diagrams(org, client):
    page = client.get(f"/o/{org.slug}/integriteit/").content.decode()
    assert page.count("<svg") == 4
    assert "<title id=" in page and "Bevoegd gezag" in page
    assert "Trede 1: de melding komt binnen bij" in page


def test_handler_links_a_named_person_who_then_loses_access(org, make_user, login, client):
    handler = make_user(org, Role.COMPETENT_AUTHORITY)
    colleague = make_user(org, Role.COMPETENT_AUTHORITY)
    report, _ = make_report(org, report_type=ReportType.WRONGDOING, implicated=["de directeur Wegen"])
    assert selectors.report_may_see(user=colleague, report=report)
    item = report.implicated.get()
    person = colleague.people.get(organisation=org)
    login(handler)
    url = f"/app/{org.slug}/meldingen/{report.reference}/actie/implicated-link/"
    assert "de directeur Wegen" in client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()
    assert client.post(url, {"item": item.pk, "person": ""}).status_code == 400
    assert client.post(url, {"item": item.pk, "person": person.pk}).status_code == 302
    item.refresh_from_db()
    assert item.person == person
    assert not selectors.report_may_see(user=colleague, report=report)
    login(colleague)
    assert client.get(f"/app/{org.slug}/meldingen/{report.reference}/").status_code == 404


def test_a_person_of_another_organisation_cannot_be_linked(org, other_org, make_user, login, client):
    from tests.organisations.factories import PersonFactory

    handler = make_user(org, Role.COMPETENT_AUTHORITY)
    stranger = PersonFactory(organisation=other_org)
    report, _ = make_report(org, report_type=ReportType.WRONGDOING)
    login(handler)
    url = f"/app/{org.slug}/meldingen/{report.reference}/actie/implicated-add/"
    assert client.post(url, {"person": stranger.pk}).status_code == 404
    assert not report.implicated.exists()
