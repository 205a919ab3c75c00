"""Integrity plan: versions, draft → adopted workflow, frozen versions, new draft from the adopted one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from intact.policy import services
from intact.policy.models import PlanVersion, VersionStatus
from intact.security.models import AuditEntry
from tests.policy.factories import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


@pytest.fixture
def authority(org, make_user):
    return make_user(org, "competent_authority")


def _draft(org, coordinator, **meta):
    plan = services.plan_create(
        actor=coordinator,
        organisation=org,
        title="Integriteitsplan 2025-2028",
        author="I. Coördinator",
        adopting_body="Gedeputeerde Staten",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )
    version = plan.versions.get()
    return plan, services.version_update(
        actor=coordinator, version=version, sections=dict(SECTIONS), **meta
    )


def test_plan_starts_with_seven_empty_sections(org, coordinator):
    plan = services.plan_create(actor=coordinator, organisation=org, title="Plan")
    version = plan.versions.get()
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert set(version.sections) == {
        "mission",
        "values",
        "structure",
        "incidents",
        "roles",
        "monitoring",
        "resources",
    }


def test_only_the_coordinator_writes_and_only_the_authority_adopts(
    org, coordinator, authority, make_user
):
    plan, version = _draft(org, coordinator)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=authority, organisation=org, title="X")
    with pytest.raises(PermissionDenied):
        services.version_adopt(actor=coordinator, version=version)
    with pytest.raises(PermissionDenied):
        services.version_adopt(actor=make_user(org, "manager"), version=version)
    adopted = services.version_adopt(
        actor=authority, version=version, adopted_on=dt.date(2025, 1, 20)
    )
    assert adopted.status == VersionStatus.ADOPTED
    assert adopted.adopted_on == dt.date(2025, 1, 20) and adopted.adopted_by == authority
    assert AuditEntry.objects.filter(action="policy_version_adopted").count() == 1


def test_adopted_version_is_frozen_and_a_new_draft_starts_from_it(org, coordinator, authority):
    plan, version = _draft(org, coordinator)
    services.version_adopt(actor=authority, version=version)
    with pytest.raises(ValidationError):
        services.version_update(actor=coordinator, version=version, sections={"mission": "anders"})
    draft = services.version_new_draft(actor=coordinator, plan=plan)
    assert (
        draft.number == 2 and draft.sections == version.sections and draft.author == version.author
    )
    with pytest.raises(ValidationError):
        services.version_new_draft(actor=coordinator, plan=plan)  # one draft at a time
    services.version_update(
        actor=coordinator, version=draft, sections={"mission": "Nieuwe missie."}
    )
    services.version_adopt(actor=authority, version=draft)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED
    assert PlanVersion.objects.get(pk=version.pk).sections["mission"] == SECTIONS["mission"]


def test_adoption_needs_every_section_and_the_term(org, coordinator, authority):
    plan = services.plan_create(actor=coordinator, organisation=org, title="Plan")
    version = plan.versions.get()
    services.version_update(
        actor=coordinator, version=version, sections={**SECTIONS, "incidents": " "}
    )
    with pytest.raises(ValidationError, match="Incidenten"):
        services.version_adopt(actor=authority, version=version)
    services.version_update(actor=coordinator, version=version, sections=SECTIONS)
    with pytest.raises(ValidationError, match="looptijd"):
        services.version_adopt(actor=authority, version=version)


def test_adoption_date_not_in_the_future_and_term_in_order(org, coordinator, authority):
    plan, version = _draft(org, coordinator)
    with pytest.raises(ValidationError):
        services.version_adopt(
            actor=authority, version=version, adopted_on=dt.date.today() + dt.timedelta(days=2)
        )
    with pytest.raises(ValidationError):
        services.version_update(
            actor=coordinator,
            version=version,
            term_start=dt.date(2026, 1, 1),
            term_end=dt.date(2025, 1, 1),
        )


def test_other_organisations_user_cannot_write(org, other_org, make_user):
    outsider = make_user(other_org, "coordinator")
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=outsider, organisation=org, title="X")
