"""No traces of the reporter (issue 3 point 3).

A report is submitted, and the mailbox used, through the test client with
marker values in every header that could identify the reporter. Then the
raw database (SQLite files, or a pg_dump under scripts/with-postgres), the
stored files and all log output are searched for the markers: none may be
there. The report's own text must not be there either (encryption at rest).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from intact.reporting.models import Report

IP = "198.51.100.231"
XFF = "192.0.2.199"
UA = "MarkerBrowser/9.7.3-zq81"
REFERER = "https://referrer-marker-q9x.example/page"
HEADERS = {
    "REMOTE_ADDR": IP,
    "HTTP_USER_AGENT": UA,
    "HTTP_X_FORWARDED_FOR": XFF,
    "HTTP_X_REAL_IP": XFF,
    "HTTP_REFERER": REFERER,
    "HTTP_FORWARDED": f"for={XFF}",
}
HEADER_NEEDLES = [IP, XFF, "MarkerBrowser", "zq81", "referrer-marker-q9x"]
CONTENT_NEEDLES = ["ApiTekst-QZ5521", "Meldtekst-QZ7741", "Frauderende-Directeur-QZ", "Verzegeld-Naam-QZ", "bijlage-QZ-naam", "BijlageInhoud-QZ", "Antwoord-QZ-8812", "seintje-qz@example"]
MARKER_REFERENCE = "M-"  # non-confidential and in the database: proves we read the right data


def _forms(needle: str) -> list[bytes]:
    raw = needle.encode()
    return [raw, raw.hex().encode(), needle.encode("utf-16-le")]


def _assert_absent(blob: bytes, needles: list[str], where: str) -> None:
    for needle in needles:
        for form in _forms(needle):
            assert form not in blob, f"{needle!r} found in {where}"


def _database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        path = Path(connection.settings_dict["NAME"])
        blob = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            candidate = Path(f"{path}{suffix}")
            if candidate.exists():
                blob += candidate.read_bytes()
        return blob
    pg_dump = Path(os.environ["INTACT_PG_BIN"]) / "pg_dump"
    return subprocess.run(
        [str(pg_dump), "-h", os.environ["INTACT_PG_SOCKET_DIR"], "-p", os.environ["INTACT_PG_PORT"],
         "-U", "postgres", "--data-only", connection.settings_dict["NAME"]],
        check=True, capture_output=True, timeout=120,
    ).stdout


def _stored_files_bytes() -> bytes:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    blob = b""
    if root.exists():
        for path in root.rglob("*"):
            if path.is_file():
                blob += path.name.encode() + path.read_bytes()
    return blob


@pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("INTACT_PG_BIN"),
    reason="pg_dump location unknown (run under scripts/with-postgres)",
)
def test_no_identifying_metadata_or_plaintext_anywhere(transactional_db, client, caplog, capfd):
    from tests.organisations.factories import OrganisationFactory

    caplog.set_level(logging.DEBUG)
    org = OrganisationFactory(slug="spoorloos", name="Spoorloze Provincie")
    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    assert client.get(url, **HEADERS).status_code == 200
    assert client.post(url, {"step": "topic", "report_type": "wrongdoing"}, **HEADERS).status_code == 200
    assert client.post(url, {"step": "how", "anonymity": "confidential"}, **HEADERS).status_code == 200
    r = client.post(url, {
        "step": "details",
        "q_what": "Meldtekst-QZ7741: de directeur sjoemelt met subsidies.",
        "implicated": "Frauderende-Directeur-QZ",
        "name": "Verzegeld-Naam-QZ",
        "notify_email": "seintje-qz@example.test",
    }, **HEADERS)
    assert r.status_code == 200, r.content.decode()[:2000]
    upload = SimpleUploadedFile("bijlage-QZ-naam.txt", b"BijlageInhoud-QZ facturen", content_type="text/plain")
    r = client.post(url, {"step": "submit", "attachments": [upload]}, **HEADERS)
    assert r.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', r.content.decode()).group(1)
    from django.core import signing

    from intact.reporting.views_public import RECEIPT_SALT

    receipt = signing.loads(token, salt=RECEIPT_SALT)["r"]
    # A wrong receipt, then the right one, then a reply, all with the markers.
    mailbox = reverse("reporting_public:mailbox", kwargs={"org": org.slug})
    assert client.post(mailbox, {"receipt": "AAAAA-BBBBB-CCCCC-DDDDD"}, **HEADERS).status_code == 400
    assert client.post(mailbox, {"receipt": receipt}, **HEADERS).status_code == 302
    assert client.get(mailbox, **HEADERS).status_code == 200
    reply = reverse("reporting_public:mailbox_reply", kwargs={"org": org.slug})
    assert client.post(reply, {"body": "Antwoord-QZ-8812"}, **HEADERS).status_code == 302
    # Bad input with the markers too (logged as a 4xx by Django).
    client.post(url, {"step": "bogus"}, **HEADERS)
    # The public API with the same markers: a report, a wrong and a right mailbox login.
    import json as _json

    from django.test import Client

    api = Client()
    r = api.post(f"/api/v1/organisations/{org.slug}/reports/", _json.dumps({
        "report_type": "business_integrity", "anonymity": "anonymous",
        "answers": {"what": "ApiTekst-QZ5521 over misbruik van middelen"},
    }), content_type="application/json", **HEADERS)
    assert r.status_code == 201, r.content
    api_receipt = r.json()["receipt"]
    assert api.post("/api/v1/mailbox/session", _json.dumps({"organisation": org.slug, "receipt": "kapot"}),
                    content_type="application/json", **HEADERS).status_code == 401
    assert api.post("/api/v1/mailbox/session", _json.dumps({"organisation": org.slug, "receipt": api_receipt}),
                    content_type="application/json", **HEADERS).status_code == 201

    report = Report.objects.get(organisation=org, report_type="wrongdoing")
    assert report.answers["what"].startswith("Meldtekst-QZ7741")  # stored, readable through the model

    db = _database_bytes()
    assert report.reference.encode() in db and MARKER_REFERENCE.encode() in db
    _assert_absent(db, HEADER_NEEDLES, f"the {connection.vendor} database")
    _assert_absent(db, CONTENT_NEEDLES, f"the {connection.vendor} database")
    _assert_absent(db, [receipt, receipt[5:], api_receipt, api_receipt[5:]], "the database (receipt)")

    files = _stored_files_bytes()
    assert files, "the attachment must have been stored"
    _assert_absent(files, HEADER_NEEDLES + CONTENT_NEEDLES, "the stored files")

    captured = capfd.readouterr()
    logs = "\n".join(
        f"{rec.name} {rec.levelname} {rec.getMessage()} {rec.args!r} {getattr(rec, 'request', '')!r}"
        for rec in caplog.records
    ).encode()
    assert b"reporting.report_submitted" in logs or b"reporting.report_submitted" in captured.err.encode() + captured.out.encode()
    for where, blob in (("caplog", logs), ("stdout", captured.out.encode()), ("stderr", captured.err.encode())):
        _assert_absent(blob, HEADER_NEEDLES, where)
        _assert_absent(blob, CONTENT_NEEDLES, where)
        _assert_absent(blob, [receipt, api_receipt], where)


def test_only_session_and_csrf_cookies(db, client):
    from tests.organisations.factories import OrganisationFactory

    org = OrganisationFactory(slug="koekjes")
    url = reverse("reporting_public:report", kwargs={"org": org.slug})
    names = set()
    for data in (None, {"step": "topic", "report_type": "question"}, {"step": "how", "anonymity": "anonymous"},
                 {"step": "details", "q_what": "Mag ik een cadeau aannemen?"}, {"step": "submit"}):
        r = client.get(url) if data is None else client.post(url, data)
        names |= set(r.cookies.keys())
    assert names <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert settings.SESSION_COOKIE_NAME in client.cookies
