"""Who sees an incoming report: active access only, never an implicated person."""

from __future__ import annotations

import pytest
from django.http import Http404

from intact.organisations.models import Role
from intact.reporting import selectors, services
from intact.reporting.models import ReportAccess
from intact.security.models import AuditEntry
from tests.organisations.factories import PersonFactory
from tests.reporting.factories import make_report

pytestmark = pytest.mark.django_db


def test_access_is_needed(org, make_user):
    report, _ = make_report(org)
    coordinator = make_user(org, Role.COORDINATOR)
    ReportAccess.objects.filter(report=report).update(revoked_at="2026-01-01T00:00:00Z")
    assert not selectors.report_list_for(user=coordinator, organisation=org).exists()
    services.report_access_grant(report=report, user=coordinator, reason="test")
    assert list(selectors.report_list_for(user=coordinator, organisation=org)) == [report]
    got = selectors.report_get_for(user=coordinator, organisation=org, reference=report.reference)
    assert got == report
    assert AuditEntry.objects.filter(action="reporting.report_viewed", object_id=str(report.pk)).exists()
    services.report_access_revoke(report=report, user=coordinator)
    with pytest.raises(Http404):
        selectors.report_get_for(user=coordinator, organisation=org, reference=report.reference)


def test_implicated_coordinator_never_sees_it(org, make_user):
    coordinator = make_user(org, Role.COORDINATOR)
    person = coordinator.people.get()
    report, _ = make_report(org, implicated=[person])
    # Routing fell back to coordinators, but not to the implicated one.
    assert not ReportAccess.objects.filter(report=report, user=coordinator).exists()
    with pytest.raises(services.AccessRefused):
        services.report_access_grant(report=report, user=coordinator, reason="poging")
    # Even a grant that exists from before is ignored once they are implicated.
    other_report, _ = make_report(org)
    services.report_access_grant(report=other_report, user=coordinator, reason="test")
    handler = make_user(org, Role.COORDINATOR)
    services.implicated_add(report=other_report, user=handler, person=person)
    assert not selectors.report_list_for(user=coordinator, organisation=org).filter(pk=other_report.pk).exists()
    with pytest.raises(Http404):
        selectors.report_get_for(user=coordinator, organisation=org, reference=other_report.reference)


def test_linking_a_free_text_person_removes_access(org, make_user):
    manager = make_user(org, Role.MANAGER)
    report, _ = make_report(org, implicated=["de afdelingsmanager"])
    services.report_access_grant(report=report, user=manager, reason="test")
    item = report.implicated.get()
    services.implicated_link(item=item, user=make_user(org, Role.COORDINATOR), person=manager.people.get())
    assert not ReportAccess.objects.filter(report=report, user=manager, revoked_at__isnull=True).exists()
    assert not selectors.report_may_see(user=manager, report=report)


def test_other_organisation_and_technical_admin_see_nothing(org, other_org, make_user):
    report, _ = make_report(org)
    foreign = make_user(other_org, Role.COORDINATOR)
    admin = make_user(org, Role.TECHNICAL_ADMIN)
    ReportAccess.objects.create(report=report, user=admin, reason="wrongly granted", granted_at=report.received_at)
    assert not selectors.report_list_for(user=admin, organisation=org).exists()
    with pytest.raises(Http404):
        selectors.report_get_for(user=foreign, organisation=org, reference=report.reference)
    with pytest.raises(Http404):
        selectors.report_get_for(user=admin, organisation=org, reference=report.reference)


def test_implicated_person_from_another_organisation_is_refused(org, other_org):
    stranger = PersonFactory(organisation=other_org)
    with pytest.raises(services.ReportInvalid):
        make_report(org, implicated=[stranger])


def test_intake_on_behalf_gives_the_counsellor_access(org, make_user):
    counsellor = make_user(org, Role.COUNSELLOR)
    report, receipt = make_report(org, channel="counsellor", registered_by=counsellor)
    assert ReportAccess.objects.filter(report=report, user=counsellor, reason="intake").exists()
    from intact.reporting.models import ReporterIdentity

    assert report.anonymity == "anonymous"
    assert not ReporterIdentity.objects.filter(report=report).exists()  # the record does not know
    assert services.mailbox_login(organisation=org, receipt=receipt) == report
    entry = AuditEntry.objects.filter(action="reporting.report_submitted", object_id=str(report.pk)).get()
    assert entry.actor_id == counsellor.pk
