"""Public API: submit a report and use the mailbox with a receipt."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from intact.reporting import receipts, services
from intact.reporting.models import Attachment, Message, Report
from intact.security import files
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def api():
    return APIClient(enforce_csrf_checks=True)


def submit_url(org):
    return f"/api/v1/organisations/{org.slug}/reports/"


def test_submit_json_returns_receipt_once(api, org):
    r = api.post(submit_url(org), {
        "report_type": "wrongdoing", "anonymity": "anonymous",
        "answers": {"what": "Er wordt gefraudeerd met uren."},
        "implicated": ["teamleider X"],
    }, format="json")
    assert r.status_code == 201, r.content
    receipt = r.json()["receipt"]
    assert receipts.normalise(receipt) == receipt
    assert r.json()["receipt_formatted"] == receipts.format_receipt(receipt)
    report = Report.objects.get()
    assert report.answers == {"what": "Er wordt gefraudeerd met uren."}
    assert report.implicated.count() == 1
    assert "reference" not in r.json()


def test_submit_multipart_with_file(api, org):
    img = Image.new("RGB", (8, 8))
    exif = Image.Exif()
    exif[0x0110] = "ModelMARKER-API"
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    r = api.post(submit_url(org), {
        "report_type": "undesirable_behaviour", "anonymity": "confidential",
        "answers": '{"what": "Mijn collega intimideert mij."}',
        "identity": '{"name": "A. Melder"}',
        "attachments": [SimpleUploadedFile("foto.jpg", buf.getvalue(), content_type="image/jpeg")],
    }, format="multipart")
    assert r.status_code == 201, r.content
    att = Attachment.objects.get()
    assert b"ModelMARKER-API" not in files.file_read(att.file)
    assert Report.objects.get().identity.sealed is True


@pytest.mark.parametrize("payload,field", [
    ({"report_type": "nope", "anonymity": "anonymous", "answers": {"what": "x"}}, "report_type"),
    ({"report_type": "wrongdoing", "anonymity": "anonymous", "answers": {}}, "what"),
    ({"report_type": "wrongdoing", "anonymity": "named", "answers": {"what": "x"}}, "name"),
    ({"report_type": "wrongdoing", "anonymity": "anonymous", "answers": "not-an-object"}, "answers"),
])
def test_submit_bad_input_is_problem_json_and_stores_nothing(api, org, payload, field):
    r = api.post(submit_url(org), payload, format="json")
    assert r.status_code == 400
    assert r["Content-Type"].startswith(PROBLEM)
    assert field in {p["name"] for p in r.json()["invalid_params"]}
    assert Report.objects.count() == 0


def test_submit_refused_file(api, org):
    r = api.post(submit_url(org), {
        "report_type": "wrongdoing", "anonymity": "anonymous", "answers": '{"what": "x"}',
        "attachments": [SimpleUploadedFile("x.svg", b"<svg onload='x'/>", content_type="image/svg+xml")],
    }, format="multipart")
    assert r.status_code == 400 and r["Content-Type"].startswith(PROBLEM)
    assert Report.objects.count() == 0


def test_unknown_organisation_is_404(api, db):
    r = api.post("/api/v1/organisations/bestaat-niet/reports/", {"report_type": "question"}, format="json")
    assert r.status_code == 404


def _session(api, org, receipt):
    return api.post("/api/v1/mailbox/session", {"organisation": org.slug, "receipt": receipt}, format="json")


def test_mailbox_flow(api, org, make_user):
    report, receipt = make_report(org)
    handler = make_user(org, "coordinator")
    services.report_acknowledge(report=report, user=handler)
    services.handler_message_send(report=report, author=handler, body="Wanneer was dit?")
    r = _session(api, org, receipts.format_receipt(receipt).lower())
    assert r.status_code == 201
    token = r.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Mailbox {token}")
    info = api.get("/api/v1/mailbox/report")
    assert info.status_code == 200
    assert info.json()["status"] == "acknowledged"
    assert [e["kind"] for e in info.json()["timeline"]][:2] == ["received", "acknowledged"]
    msgs = api.get("/api/v1/mailbox/messages")
    assert msgs.json()[0]["body"] == "Wanneer was dit?"
    assert Message.objects.get().read_at is not None
    sent = api.post("/api/v1/mailbox/messages", {"body": "Vorige week."}, format="json")
    assert sent.status_code == 201
    assert Message.objects.filter(direction="from_reporter").get().body == "Vorige week."
    assert api.post("/api/v1/mailbox/messages", {"body": ""}, format="json").status_code == 400


def test_wrong_receipt_is_one_generic_401(api, org):
    _report, receipt = make_report(org)
    a = _session(api, org, receipt[:-1] + ("0" if receipt[-1] != "0" else "1"))
    b = _session(api, org, receipts.generate())
    c = _session(api, org, "kapot")
    assert a.status_code == b.status_code == c.status_code == 401
    assert a.json()["detail"] == b.json()["detail"] == c.json()["detail"]
    assert a["Content-Type"].startswith(PROBLEM)


def test_mailbox_endpoints_need_a_token(api, org):
    assert api.get("/api/v1/mailbox/report").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Mailbox forged.token")
    r = api.get("/api/v1/mailbox/messages")
    assert r.status_code == 401 and r["Content-Type"].startswith(PROBLEM)


def test_token_of_blocked_mailbox_stops_working(api, org, make_user):
    report, receipt = make_report(org)
    token = _session(api, org, receipt).json()["token"]
    services.mailbox_block(report=report, user=make_user(org, "coordinator"), blocked=True)
    api.credentials(HTTP_AUTHORIZATION=f"Mailbox {token}")
    assert api.get("/api/v1/mailbox/report").status_code == 401


def test_busy_is_503_problem(api, org, settings):
    settings.INTACT_KDF_CONCURRENCY = 1
    settings.INTACT_KDF_WAIT_SECONDS = 0.05
    _report, receipt = make_report(org)
    slots = receipts._semaphore()
    assert slots.acquire(timeout=1)
    try:
        r = _session(api, org, receipt)
    finally:
        slots.release()
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert r["Content-Type"].startswith(PROBLEM)


def test_schema_documents_the_public_endpoints(client, db):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    if r.status_code != 200:
        r = client.get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    import json

    import yaml

    text = r.content.decode()
    schema = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    paths = schema["paths"]
    assert "post" in paths["/api/v1/organisations/{organisation_slug}/reports/"]
    assert "post" in paths["/api/v1/mailbox/session"]
    assert "get" in paths["/api/v1/mailbox/report"]
    assert {"get", "post"} <= set(paths["/api/v1/mailbox/messages"])
    busy = paths["/api/v1/mailbox/session"]["post"]["responses"]["503"]
    assert PROBLEM in busy["content"]
    assert "mailboxToken" in schema["components"]["securitySchemes"]
