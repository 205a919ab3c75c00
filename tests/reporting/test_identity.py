"""Sealed identity: pseudonym for handlers; reveal only after a custodian's approval; all audited."""

from __future__ import annotations

import pytest

from intact.organisations.models import Role
from intact.reporting import services_staff
from intact.reporting.models import Anonymity, ReportEvent, ReportType
from intact.reporting.models_procedures import IdentityRevealRequest, RevealStatus
from intact.security.models import AuditEntry
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org, make_user):
    handler = make_user(org, Role.MANAGER)
    custodian = make_user(org, Role.COUNSELLOR)
    coordinator = make_user(org, Role.COORDINATOR)
    report, _ = make_report(org, report_type=ReportType.BUSINESS, anonymity=Anonymity.CONFIDENTIAL,
                            identity={"name": "Els Vertrouwelijk", "email": "els@example.test", "phone": ""})
    return {"handler": handler, "custodian": custodian, "coordinator": coordinator, "report": report}


def _detail(client, org, report):
    return client.get(f"/app/{org.slug}/meldingen/{report.reference}/").content.decode()


def test_handler_sees_pseudonym_until_custodian_approves(org, setup, login, client):
    report, handler, custodian = setup["report"], setup["handler"], setup["custodian"]
    login(handler)
    page = _detail(client, org, report)
    assert "Els Vertrouwelijk" not in page
    assert report.pseudonym in page and "verzegeld" in page

    # Request without a reason is refused, nothing stored.
    response = client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/reveal/", {"reason": ""})
    assert response.status_code == 400
    assert not IdentityRevealRequest.objects.exists()
    client.post(f"/app/{org.slug}/meldingen/{report.reference}/actie/reveal/",
                {"reason": "Nodig om hoor en wederhoor te plannen"})
    req = IdentityRevealRequest.objects.get()
    assert req.status == RevealStatus.PENDING
    assert "Els Vertrouwelijk" not in _detail(client, org, report)

    # The handler cannot decide on their own request.
    assert client.get(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/").status_code == 404

    login(custodian)
    listing = client.get(f"/app/{org.slug}/meldingen/identiteit/").content.decode()
    assert report.reference in listing
    decide = client.get(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/").content.decode()
    assert "hoor en wederhoor" in decide
    assert "Els Vertrouwelijk" not in decide  # the custodian decides, but is not shown the identity
    client.post(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/", {"decision": "approve", "note": ""})
    req.refresh_from_db()
    assert req.status == RevealStatus.APPROVED and req.decided_by == custodian

    login(handler)
    assert "Els Vertrouwelijk" in _detail(client, org, report)
    assert AuditEntry.objects.filter(action="reporting.identity_viewed", actor_id=handler.pk).exists()
    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", "visible_to_reporter"))
    assert ("identity_reveal_requested", False) in kinds and ("identity_reveal_approved", False) in kinds


def test_refusal_keeps_the_identity_sealed(org, setup):
    req = services_staff.identity_reveal_request(report=setup["report"], user=setup["handler"], reason="Nieuwsgierig")
    services_staff.identity_reveal_decide(request=req, user=setup["custodian"], approve=False, note="Geen reden")
    identity, state = services_staff.identity_for(user=setup["handler"], report=setup["report"])
    assert identity is None and state == "sealed"
    with pytest.raises(services_staff.services.ReportInvalid):
        services_staff.identity_reveal_decide(request=req, user=setup["custodian"], approve=True)


def test_only_the_designated_custodian_decides(org, setup, login, client):
    req = services_staff.identity_reveal_request(report=setup["report"], user=setup["handler"], reason="Onderzoek")
    with pytest.raises(services_staff.StaffActionRefused):
        services_staff.identity_reveal_decide(request=req, user=setup["coordinator"], approve=True)
    login(setup["coordinator"])
    assert client.get(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/").status_code == 404
    # The organisation designates the coordinator instead.
    services_staff.reporting_settings_update(actor=setup["coordinator"], organisation=org,
                                             custodian_role=Role.COORDINATOR, reminder_days_before=2)
    assert client.get(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/").status_code == 200
    login(setup["custodian"])
    assert client.get(f"/app/{org.slug}/meldingen/identiteit/{req.pk}/").status_code == 404


def test_anonymous_report_has_no_identity_to_reveal(org, setup):
    report, _ = make_report(org, report_type=ReportType.BUSINESS)
    with pytest.raises(services_staff.services.ReportInvalid):
        services_staff.identity_reveal_request(report=report, user=setup["handler"], reason="x")
