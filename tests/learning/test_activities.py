"""Activities, the facilitator pool and the totals the annual report reads."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from intact.learning import selectors, services
from intact.learning.models import Activity, ActivityType, Audience
from tests.learning.factories import ActivityFactory, FacilitatorFactory
from tests.organisations.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_totals_give_14_sessions_233_reached(org):
    # Zuid-Holland 2019: 6 sessions for new employees, 4 for departments, 4 for professional groups.
    plan = (
        [(Audience.NEW_EMPLOYEES, n) for n in (18, 16, 21, 15, 19, 17)]
        + [(Audience.DEPARTMENT, n) for n in (14, 22, 12, 16)]
        + [(Audience.PROFESSIONAL_GROUP, n) for n in (13, 18, 15, 17)]
    )
    for audience, n in plan:
        ActivityFactory(
            organisation=org, audience=audience, participants=n, date=dt.date(2019, 4, 2)
        )
    for _ in range(4):
        ActivityFactory(
            organisation=org,
            type=ActivityType.WORKS_COUNCIL,
            audience=Audience.WORKS_COUNCIL,
            participants=4,
            date=dt.date(2019, 6, 1),
        )
    ActivityFactory(organisation=org, date=dt.date(2020, 1, 10), participants=99)  # other year
    totals = selectors.activity_totals(org, 2019)
    dilemma = totals["by_type_code"]["dilemma_game"]
    assert (dilemma["sessions"], dilemma["participants"]) == (14, 233)
    assert dilemma["by_audience"] == {"new_employees": 6, "department": 4, "professional_group": 4}
    assert totals["by_type_code"]["works_council"]["sessions"] == 4
    assert totals["by_type_code"]["training"]["sessions"] == 0
    assert (totals["sessions"], totals["participants"]) == (18, 249)
    assert [row["type"] for row in totals["by_type"]] == list(ActivityType.values)


def test_totals_never_mix_organisations(org, other_org):
    ActivityFactory(organisation=other_org, date=dt.date(2019, 4, 2))
    assert selectors.activity_totals(org, 2019)["sessions"] == 0


def test_create_checks_organisation_of_unit_and_facilitators(org, other_org):
    foreign_unit = UnitFactory(organisation=other_org)
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=None,
            organisation=org,
            type="training",
            title="T",
            date=dt.date(2024, 1, 1),
            audience="all_staff",
            unit=foreign_unit,
        )
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=None,
            organisation=org,
            type="training",
            title="T",
            date=dt.date(2024, 1, 1),
            audience="all_staff",
            facilitators=[FacilitatorFactory(organisation=other_org)],
        )
    assert not Activity.objects.exists()


def test_facilitator_pool_person_or_external(org, other_org):
    person = PersonFactory(organisation=org, first_name="Fenna", last_name="Faciliteer")
    internal = services.facilitator_create(actor=None, organisation=org, person=person)
    assert internal.display_name == "Fenna Faciliteer" and not internal.is_external
    external = services.facilitator_create(
        actor=None, organisation=org, external_name="B. Bureau", affiliation="Extern BV"
    )
    assert external.is_external and str(external) == "B. Bureau (Extern BV)"
    with pytest.raises(ValidationError):
        services.facilitator_create(actor=None, organisation=org)
    with pytest.raises(ValidationError):
        services.facilitator_create(
            actor=None, organisation=org, person=person
        )  # already in the pool
    with pytest.raises(ValidationError):
        services.facilitator_create(
            actor=None, organisation=org, person=PersonFactory(organisation=other_org)
        )


def test_read_roles(org, other_org, make_user):
    ActivityFactory(organisation=org)
    for role in ("coordinator", "auditor", "competent_authority"):
        assert selectors.activity_list(user=make_user(org, role), organisation=org).count() == 1
    for role in ("employee", "counsellor", "manager", "technical_admin"):
        with pytest.raises(Http404):
            selectors.activity_list(user=make_user(org, role), organisation=org)
    with pytest.raises(Http404):
        selectors.activity_list(user=make_user(other_org, "coordinator"), organisation=org)


def test_register_activity_through_the_page(org, make_user, login):
    coordinator = make_user(org, "coordinator")
    unit = UnitFactory(organisation=org, name="Bureau Inkoop")
    pool = FacilitatorFactory(organisation=org, external_name="Ellen Extern")
    c = login(coordinator)
    url = reverse("learning:activity_create", kwargs={"org": org.slug})
    page = c.get(url)
    assert page.status_code == 200 and "Ellen Extern" in page.content.decode()
    response = c.post(
        url,
        {
            "type": "dilemma_game",
            "title": "Dilemmaspel Inkoop",
            "date": "2024-05-14",
            "unit": unit.pk,
            "audience": "department",
            "audience_detail": "Inkoop",
            "facilitators": [pool.pk],
            "participants": "17",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(organisation=org)
    assert (
        activity.unit == unit
        and list(activity.facilitators.all()) == [pool]
        and activity.participants == 17
    )
    totals = c.get(
        reverse("learning:activity_totals", kwargs={"org": org.slug}) + "?year=2024"
    ).content.decode()
    assert "Dilemmaspel" in totals and "17" in totals
    # Edit and delete.
    edit = reverse("learning:activity_edit", kwargs={"org": org.slug, "pk": activity.pk})
    response = c.post(
        edit,
        {
            "type": "dilemma_game",
            "title": "Dilemmaspel Inkoop",
            "date": "2024-05-14",
            "audience": "department",
            "facilitators": [],
            "participants": "18",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (
        activity.participants == 18 and activity.unit is None and not activity.facilitators.exists()
    )
    c.post(reverse("learning:activity_delete", kwargs={"org": org.slug, "pk": activity.pk}))
    assert not Activity.objects.exists()


def test_auditor_reads_but_cannot_register(org, make_user, login):
    activity = ActivityFactory(organisation=org)
    c = login(make_user(org, "auditor"))
    assert (
        c.get(
            reverse("learning:activity_detail", kwargs={"org": org.slug, "pk": activity.pk})
        ).status_code
        == 200
    )
    assert c.get(reverse("learning:activity_create", kwargs={"org": org.slug})).status_code == 404
    assert (
        c.post(
            reverse("learning:facilitator_list", kwargs={"org": org.slug}), {"external_name": "X"}
        ).status_code
        == 404
    )


def test_start_sections(org, make_user):
    ActivityFactory(organisation=org, date=dt.date.today())
    coordinator = make_user(org, "coordinator")
    titles = [str(s["title"]) for s in selectors.start_sections(coordinator, org)]
    assert "Activiteiten dit jaar" in titles
    counsellor = make_user(org, "counsellor")
    sections = selectors.start_sections(counsellor, org)
    assert [str(s["title"]) for s in sections] == ["Gesprekken als vertrouwenspersoon"]
    assert sections[0]["context"]["own"] == 0


def test_org_start_page_shows_learning_sections(org, make_user, login):
    ActivityFactory(organisation=org, date=dt.date.today(), participants=12)
    c = login(make_user(org, "coordinator"))
    page = c.get(reverse("core:org_start", kwargs={"org": org.slug})).content.decode()
    assert "Activiteiten dit jaar" in page and "12 deelnemers" in page
    c.logout()
    c = login(make_user(org, "counsellor"))
    page = c.get(reverse("core:org_start", kwargs={"org": org.slug})).content.decode()
    assert "Gesprek registreren" in page and "Activiteiten dit jaar" not in page


def test_totals_page_compares_with_the_previous_year(org, make_user, login):
    ActivityFactory(organisation=org, date=dt.date(2019, 3, 1), participants=20)
    ActivityFactory(
        organisation=org, type=ActivityType.TRAINING, date=dt.date(2018, 3, 1), participants=30
    )
    c = login(make_user(org, "auditor"))
    page = c.get(reverse("learning:activity_totals", kwargs={"org": org.slug}) + "?year=2019")
    body = page.content.decode()
    assert "Aantal keer in 2018" in body
    rows = page.context["rows"]
    assert [(r["type"], r["sessions"], r["previous"]["sessions"]) for r in rows] == [
        ("training", 0, 1),
        ("dilemma_game", 1, 0),
    ]
