"""Norm frameworks as data, own frameworks, self-assessment with Intact's proposals, compliance overview."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from intact.policy import data, selectors, services
from intact.policy.models import Framework, Requirement
from tests.organisations.factories import IntegrityOrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(org, make_user):
    return make_user(org, "coordinator")


def _builtin(code):
    services.frameworks_ensure_builtin()
    return Framework.objects.get(organisation__isnull=True, code=code)


def test_builtin_frameworks_load_once_with_sources():
    assert services.frameworks_ensure_builtin() == 4
    assert services.frameworks_ensure_builtin() == 0
    basis = Framework.objects.get(code="basisnormen")
    assert basis.requirements.count() == 14 and "bijlage III" in basis.source
    assert Framework.objects.get(code="gi-sporen").requirements.count() == 5
    aw = Framework.objects.get(code="ambtenarenwet")
    names = " ".join(aw.requirements.values_list("name", flat=True))
    for word in (
        "Gedragscode",
        "Eed",
        "nevenwerkzaamheden",
        "Financiële",
        "verantwoording",
        "melden",
    ):
        assert word.lower() in names.lower()
    partos = Framework.objects.get(code="partos-2019")
    groups = partos.requirements.filter(parent__isnull=True)
    assert groups.count() == 4 and not any(g.assessable for g in groups)
    assert Requirement.objects.filter(framework=partos, parent__isnull=False).count() == 7


def test_every_builtin_file_names_its_source():
    for spec in data.builtin_frameworks():
        assert spec["source"].strip() and spec["version"]


def test_own_framework_from_yaml_and_errors(org, coordinator):
    text = "code: eigen\nversion: '1'\nname: Eigen kader\nrequirements:\n  - ref_id: A\n    name: Norm A\n    children:\n      - ref_id: A.1\n        name: Sub\n"
    framework = services.framework_import(actor=coordinator, organisation=org, text=text)
    assert framework.organisation == org and framework.requirements.count() == 2
    with pytest.raises(ValidationError):
        services.framework_import(
            actor=coordinator, organisation=org, text=text
        )  # same code and version
    with pytest.raises(ValidationError, match="ref_id"):
        services.framework_import(
            actor=coordinator,
            organisation=org,
            text="code: x\nversion: 1\nname: X\nrequirements:\n  - name: zonder nummer\n",
        )
    with pytest.raises(ValidationError):
        services.framework_import(actor=coordinator, organisation=org, text="code: [unclosed")
    made = services.framework_create(
        actor=coordinator,
        organisation=org,
        name="Sportbond",
        version="2",
        requirements=["Norm 1", "", "Norm 2"],
    )
    assert list(made.requirements.values_list("ref_id", "name")) == [
        ("1", "Norm 1"),
        ("2", "Norm 2"),
    ]


def test_other_organisations_framework_is_invisible(org, other_org, coordinator, make_user):
    theirs = services.framework_create(
        actor=make_user(other_org, "coordinator"),
        organisation=other_org,
        name="Geheim",
        version="1",
        requirements=["x"],
    )
    assert theirs not in selectors.framework_list(user=coordinator, organisation=org)
    with pytest.raises(ValidationError):
        services.assessment_start(actor=coordinator, organisation=org, framework=theirs)


def test_assessment_proposes_status_from_intact_data(org, coordinator):
    IntegrityOrganFactory(organisation=org, kind="counsellor", name="Vertrouwenspersoon")
    assessment = services.assessment_start(
        actor=coordinator, organisation=org, framework=_builtin("basisnormen")
    )
    items = {i.requirement.ref_id: i for i in assessment.items.select_related("requirement")}
    assert len(items) == 14
    assert (
        items["12"].proposed_status == "met"
        and "1 vertrouwenspersonen" in items["12"].proposed_reason
    )
    assert items["1"].proposed_status == "not_met"  # no adopted plan yet
    assert items["3"].proposed_status == "not_met"  # no code of conduct registered
    assert items["11"].proposed_status == ""  # procurement: Intact holds no evidence
    assert all(i.status == "" for i in items.values())  # nothing decided for the assessor


def test_plan_adoption_changes_the_proposal(org, coordinator, make_user):
    from tests.policy.factories import SECTIONS

    assessment = services.assessment_start(
        actor=coordinator, organisation=org, framework=_builtin("basisnormen")
    )
    plan = services.plan_create(actor=coordinator, organisation=org, title="Plan")
    import datetime as dt

    version = services.version_update(
        actor=coordinator,
        version=plan.versions.get(),
        sections=SECTIONS,
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )
    services.version_adopt(actor=make_user(org, "competent_authority"), version=version)
    assert services.assessment_refresh_proposals(actor=coordinator, assessment=assessment) >= 1
    item = assessment.items.get(requirement__ref_id="1")
    assert item.proposed_status == "met"


def test_assessor_accepts_or_overrides_and_overview_counts(org, coordinator):
    IntegrityOrganFactory(organisation=org, kind="counsellor", name="VP")
    assessment = services.assessment_start(
        actor=coordinator, organisation=org, framework=_builtin("gi-sporen")
    )
    items = list(assessment.items.order_by("requirement__order"))
    services.item_assess(
        actor=coordinator,
        item=items[0],
        status="met",
        evidence="Jaarplan 2025\nActiviteitenregister",
    )
    services.item_assess(actor=coordinator, item=items[1], status="partly")
    services.item_assess(actor=coordinator, item=items[2], status="not_met")
    services.item_assess(actor=coordinator, item=items[3], status="not_applicable")
    with pytest.raises(ValidationError):
        services.assessment_complete(actor=coordinator, assessment=assessment)
    accepted = services.item_accept_proposal(
        actor=coordinator, item=items[4]
    )  # organs: proposal exists
    assert (
        accepted.status == accepted.proposed_status
        and accepted.proposed_reason in accepted.evidence
    )
    overview = selectors.compliance_overview(assessment)
    assert (overview["met"] + (overview["partly"] - 1)) >= 1
    assert overview["not_applicable"] == 1 and overview["not_assessed"] == 0
    assert items[0].evidence_lines() == ["Jaarplan 2025", "Activiteitenregister"]
    services.assessment_complete(actor=coordinator, assessment=assessment)


def test_only_the_coordinator_assesses(org, coordinator, make_user):
    assessment = services.assessment_start(
        actor=coordinator, organisation=org, framework=_builtin("gi-sporen")
    )
    with pytest.raises(PermissionDenied):
        services.item_assess(
            actor=make_user(org, "auditor"), item=assessment.items.first(), status="met"
        )
