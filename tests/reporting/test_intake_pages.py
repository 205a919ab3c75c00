"""The public reporting page: every step by POST, without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from intact.reporting import services
from intact.reporting.models import Attachment, ImplicatedPerson, Report, ReporterIdentity
from intact.security.models import EncryptedFile

pytestmark = pytest.mark.django_db

RECEIPT_RE = re.compile(r'name="token" value="([^"]+)"')


def _url(org):
    return reverse("reporting_public:report", kwargs={"org": org.slug})


def walk(client, org, *, report_type="wrongdoing", anonymity="anonymous", details=None, files=None):
    url = _url(org)
    assert client.get(url).status_code == 200
    r = client.post(url, {"step": "topic", "report_type": report_type})
    assert r.status_code == 200, r.content.decode()[:2000]
    r = client.post(url, {"step": "how", "anonymity": anonymity})
    assert r.status_code == 200
    data = {"step": "details", "q_what": "Declaraties worden dubbel ingediend."}
    if anonymity != "anonymous":
        data["name"] = "Jan Jansen"
    data.update(details or {})
    r = client.post(url, data)
    assert r.status_code == 200, r.content.decode()[:3000]
    payload = {"step": "submit"}
    if files:
        payload["attachments"] = files
    return client.post(url, payload)


def receipt_from(response):
    from django.core import signing

    from intact.reporting.views_public import RECEIPT_SALT

    token = RECEIPT_RE.search(response.content.decode()).group(1)
    return signing.loads(token, salt=RECEIPT_SALT)["r"]


@pytest.mark.parametrize("report_type", ["wrongdoing", "business_integrity", "undesirable_behaviour", "question"])
@pytest.mark.parametrize("anonymity", ["named", "confidential", "anonymous"])
def test_every_type_and_anonymity(client, org, report_type, anonymity):
    response = walk(client, org, report_type=report_type, anonymity=anonymity,
                    details={"implicated": "P. de Vries\nhoofd inkoop"})
    assert response.status_code == 200
    receipt = receipt_from(response)
    report = Report.objects.get(organisation=org)
    assert report.report_type == report_type and report.anonymity == anonymity
    assert report.answers["what"] == "Declaraties worden dubbel ingediend."
    assert ImplicatedPerson.objects.filter(report=report).count() == 2
    identity = ReporterIdentity.objects.filter(report=report).first()
    if anonymity == "anonymous":
        assert identity is None
    else:
        assert identity.name == "Jan Jansen"
        assert identity.sealed is (anonymity == "confidential")
    # The receipt opens the mailbox and is shown in groups.
    assert services.mailbox_login(organisation=org, receipt=receipt).pk == report.pk
    html = response.content.decode()
    assert receipt[:5] in html and receipt[5:10] in html
    # The draft is gone from the session.
    assert "intact_report_draft" not in client.session


def test_receipt_confirmation_requires_checkbox(client, org):
    response = walk(client, org)
    token = RECEIPT_RE.search(response.content.decode()).group(1)
    confirm = reverse("reporting_public:receipt_confirm", kwargs={"org": org.slug})
    again = client.post(confirm, {"token": token})
    assert again.status_code == 400
    assert "Bevestig dat u uw ontvangstbewijs hebt bewaard" in again.content.decode()
    assert receipt_from(response)[:5] in again.content.decode()  # re-shown within the same step
    done = client.post(confirm, {"token": token, "saved": "on"})
    assert done.status_code == 302 and "/postbus/" in done["Location"]
    # A tampered token is refused and shows no receipt.
    bad = client.post(confirm, {"token": token[:-3] + "abc", "saved": "on"})
    assert bad.status_code == 400


def test_missing_required_answer_stores_nothing(client, org):
    url = _url(org)
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    r = client.post(url, {"step": "details", "q_what": ""})
    assert r.status_code == 400
    assert "Beantwoord deze vraag" in r.content.decode()
    assert 'role="alert"' in r.content.decode()
    assert Report.objects.count() == 0


def test_english_messages(client, org):
    url = _url(org)
    client.cookies["intact_language"] = "en"
    r = client.post(url, {"step": "topic", "report_type": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "Choose one of the topics." in r.content.decode()
    assert "Kies een van" not in r.content.decode()


def test_tampered_step_is_refused(client, org):
    url = _url(org)
    r = client.post(url, {"step": "submit"})
    assert r.status_code == 400
    r = client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    r = client.post(url, {"step": "bogus"})
    assert r.status_code == 400
    r = client.post(url, {"goto": "submit"})
    assert r.status_code == 400
    assert Report.objects.count() == 0


def test_named_report_needs_a_name(client, org):
    url = _url(org)
    client.post(url, {"step": "topic", "report_type": "business_integrity"})
    client.post(url, {"step": "how", "anonymity": "named"})
    r = client.post(url, {"step": "details", "q_what": "x"})
    assert r.status_code == 400
    assert Report.objects.count() == 0


def test_back_button_keeps_answers(client, org):
    url = _url(org)
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "Iets bijzonders"})
    r = client.post(url, {"goto": "details"})
    assert r.status_code == 200
    assert "Iets bijzonders" in r.content.decode()


def test_draft_is_encrypted_in_the_session(client, org):
    url = _url(org)
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "GEHEIMEMARKER-draft"})
    from django.contrib.sessions.models import Session

    raw = b"".join(s.session_data.encode() for s in Session.objects.all())

    decoded = b""
    for s in Session.objects.all():
        decoded += s.get_decoded().__repr__().encode()
    assert b"GEHEIMEMARKER" not in raw and b"GEHEIMEMARKER" not in decoded


def test_meeting_request_and_notify_email(client, org):
    response = walk(client, org, details={"meeting_requested": "on", "notify_email": "anon@example.test"})
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.meeting_requested is True
    assert report.notify_email == "anon@example.test"
    assert report.events.filter(kind="meeting_requested", visible_to_reporter=True).exists()


def test_attachment_is_stored_encrypted(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("notitie.txt", b"Bewijs: factuur 123", content_type="text/plain")
    response = walk(client, org, files=[f])
    assert response.status_code == 200
    att = Attachment.objects.get()
    assert att.name == "notitie.txt"
    assert EncryptedFile.objects.count() == 1
    from intact.security import files

    assert files.file_read(att.file) == b"Bewijs: factuur 123"


def test_reporting_page_in_english(client, org):
    client.cookies["intact_language"] = "en"
    html = client.get(_url(org)).content.decode()
    assert "Make a report to" in html and "Whistleblowers Authority" in html
    assert 'lang="en"' in html


def test_translation_file_is_complete():
    from pathlib import Path

    import intact.reporting

    po = (Path(intact.reporting.__file__).parent / "locale/en/LC_MESSAGES/django.po").read_text()
    assert "#, fuzzy" not in po
    blocks = po.split("\n\n")[1:]
    import re

    empty = [b for b in blocks if re.search(r'msgstr(\[\d\])? ""(\n(?!")|$)', b.rstrip())]
    assert not empty, empty[:3]


def test_receipt_page_tells_that_photo_metadata_was_removed(client, org):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="JPEG")
    photo = SimpleUploadedFile("foto.jpg", buf.getvalue(), content_type="image/jpeg")
    response = walk(client, org, files=[photo])
    assert "Uit uw foto hebben wij de metadata verwijderd" in response.content.decode()
    token = RECEIPT_RE.search(response.content.decode()).group(1)
    again = client.post(reverse("reporting_public:receipt_confirm", kwargs={"org": org.slug}), {"token": token})
    assert "Uit uw foto hebben wij de metadata verwijderd" in again.content.decode()


def test_busy_submit_keeps_the_draft_and_stores_nothing(client, org, monkeypatch):
    from intact.reporting import receipts

    url = _url(org)
    client.post(url, {"step": "topic", "report_type": "wrongdoing"})
    client.post(url, {"step": "how", "anonymity": "anonymous"})
    client.post(url, {"step": "details", "q_what": "Druk druk druk"})

    def busy(secret, *, timeout=None):
        raise receipts.KdfBusy

    monkeypatch.setattr(receipts, "hash_secret", busy)
    r = client.post(url, {"step": "submit"})
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "erg druk" in r.content.decode()
    assert Report.objects.count() == 0
    monkeypatch.undo()
    r = client.post(url, {"step": "submit"})
    assert r.status_code == 200
    assert Report.objects.get().answers["what"] == "Druk druk druk"


def test_csrf_is_still_checked_on_the_upload_views(org):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    r = strict.post(_url(org), {"step": "topic", "report_type": "wrongdoing"})
    assert r.status_code == 403
    r = strict.post(reverse("reporting_public:mailbox_reply", kwargs={"org": org.slug}), {"body": "x"})
    assert r.status_code == 403
    page = strict.get(_url(org))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    r = strict.post(_url(org), {"step": "topic", "report_type": "wrongdoing", "csrfmiddlewaretoken": token})
    assert r.status_code == 200
