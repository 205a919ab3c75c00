"""Staff inbox API: same access rules as the pages; in the OpenAPI schema."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting.models import InternalNote, Message, ReportStatus, ReportType
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org, other_org, make_user):
    handler = make_user(org, Role.COMPETENT_AUTHORITY)
    implicated = make_user(org, Role.MANAGER)
    foreign = make_user(other_org, Role.COORDINATOR)
    report, _ = make_report(org, report_type=ReportType.WRONGDOING,
                            implicated=[implicated.people.get(organisation=org)])
    return {"handler": handler, "implicated": implicated, "foreign": foreign, "report": report}


def _base(org, report=None):
    url = f"/api/v1/organisations/{org.slug}/reports/"
    return url + (f"{report.reference}/" if report else "")


def test_handler_uses_the_inbox_api(org, setup, login, client):
    report = setup["report"]
    login(setup["handler"])
    listing = client.get(_base(org)).json()["results"]
    assert [r["reference"] for r in listing] == [report.reference]
    assert listing[0]["next_term_due"]
    detail = client.get(_base(org, report)).json()
    assert detail["answers"]["what"].startswith("Er worden declaraties")
    assert {t["code"] for t in detail["terms"]} == {"acknowledgement", "feedback"}
    assert detail["reporter"]["state"] == "anonymous"

    assert client.post(_base(org, report) + "acknowledge/").json()["status"] == ReportStatus.ACKNOWLEDGED
    response = client.post(_base(org, report) + "messages/", {"body": "Kunt u meer vertellen?"},
                           content_type="application/json")
    assert response.status_code == 201
    assert Message.objects.get(report=report).body == "Kunt u meer vertellen?"
    assert client.post(_base(org, report) + "notes/", {"body": "Intern"},
                       content_type="application/json").status_code == 201
    assert [n["body"] for n in client.get(_base(org, report) + "notes/").json()] == ["Intern"]
    bad = client.post(_base(org, report) + "close/", {"reason": ""}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert client.post(_base(org, report) + "close/", {"reason": "Afgehandeld"},
                       content_type="application/json").json()["status"] == "closed"


def test_others_get_404_like_a_missing_report(org, other_org, setup, login, client):
    report = setup["report"]
    missing = client.get(_base(org) + "M-1999-9999/")
    for user in (setup["implicated"], setup["foreign"]):
        login(user)
        for method, suffix in (("get", ""), ("post", "acknowledge/"), ("get", "messages/"), ("post", "notes/"),
                               ("post", "close/")):
            response = getattr(client, method)(_base(org, report) + suffix, {"body": "x", "reason": "x"},
                                               content_type="application/json")
            assert response.status_code == 404, (user, suffix)
        if user is setup["implicated"]:
            assert client.get(_base(org)).json()["results"] == []
    assert not InternalNote.objects.exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    del missing


def test_schema_lists_the_staff_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in ("/reports/", "/reports/{reference}/acknowledge/", "/reports/{reference}/messages/",
                 "/reports/{reference}/notes/", "/reports/{reference}/close/"):
        assert path in schema
