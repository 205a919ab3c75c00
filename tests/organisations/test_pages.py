import pytest

from intact.organisations.models import IntegrityOrgan, Membership, Person, Role, Unit
from intact.security.models import AuditEntry
from tests.core.normalise import normalised_body
from tests.organisations.factories import IntegrityOrganFactory, PersonFactory, UnitFactory


@pytest.fixture
def tree(org):
    central = UnitFactory(organisation=org, name="Concernstaf", is_central=True)
    north = UnitFactory(organisation=org, name="Regio Noord")
    north_team = UnitFactory(organisation=org, name="Team Wegen Noord", parent=north)
    south = UnitFactory(organisation=org, name="Regio Zuid")
    PersonFactory(organisation=org, unit=central, first_name="Carla", last_name="Centraal")
    PersonFactory(organisation=org, unit=north_team, first_name="Nico", last_name="Noordman")
    PersonFactory(
        organisation=org, unit=south, first_name="Zara", last_name="Zuidema", contract_type="volunteer"
    )
    return {"central": central, "north": north, "north_team": north_team, "south": south}


def url(name, org, **kw):
    from django.urls import reverse

    return reverse(f"organisations:{name}", kwargs={"org": org.slug, **kw})


def test_coordinator_filters_people_by_unit_subtree_and_contract(org, tree, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    page = c.get(url("person_list", org)).content.decode()
    assert "Noordman" in page and "Zuidema" in page and "Centraal" in page
    page = c.get(url("person_list", org), {"unit": tree["north"].pk}).content.decode()
    assert "Noordman" in page and "Zuidema" not in page
    page = c.get(url("person_list", org), {"contract_type": "volunteer"}).content.decode()
    assert "Zuidema" in page and "Noordman" not in page
    page = c.get(url("person_list", org), {"q": "zuid"}).content.decode()
    assert "Zuidema" in page and "Centraal" not in page


def test_manager_of_a_unit_sees_only_that_part_of_the_tree(org, tree, make_user, login):
    manager = make_user(org, Role.MANAGER, unit=tree["north"])
    c = login(manager)
    page = c.get(url("person_list", org)).content.decode()
    assert "Noordman" in page
    assert "Zuidema" not in page
    zara = Person.objects.get(last_name="Zuidema")
    nico = Person.objects.get(last_name="Noordman")
    assert c.get(url("person_detail", org, pk=nico.pk)).status_code == 200
    assert c.get(url("person_detail", org, pk=zara.pk)).status_code == 404
    # A manager reads; editing is for the coordinator and the technical administrator.
    assert c.get(url("person_edit", org, pk=nico.pk)).status_code == 404


def test_person_detail_view_is_audited(org, tree, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    nico = Person.objects.get(last_name="Noordman")
    assert c.get(url("person_detail", org, pk=nico.pk)).status_code == 200
    entry = AuditEntry.objects.get(action="person.view")
    assert entry.object_id == str(nico.pk)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.COUNSELLOR, Role.INVESTIGATOR, Role.AUDITOR])
def test_roles_without_people_access_get_404(org, tree, make_user, login, role):
    c = login(make_user(org, role))
    assert c.get(url("person_list", org)).status_code == 404
    assert c.get(url("unit_tree", org)).status_code == 404
    assert c.get(url("membership_list", org)).status_code == 404


def test_other_organisation_gets_404_like_unknown(org, other_org, tree, make_user, login):
    c = login(make_user(other_org, Role.COORDINATOR))
    nico = Person.objects.get(last_name="Noordman")
    existing = c.get(url("person_detail", org, pk=nico.pk))
    missing = c.get(url("person_detail", org, pk=999999))
    assert existing.status_code == missing.status_code == 404
    assert normalised_body(existing) == normalised_body(missing)


def test_unit_tree_shows_central_first_and_nesting(org, tree, make_user, login):
    c = login(make_user(org, Role.TECHNICAL_ADMIN))
    page = c.get(url("unit_tree", org)).content.decode()
    assert page.index("Concernstaf") < page.index("Regio Noord") < page.index("Team Wegen Noord")


def test_create_unit_and_person_with_login(org, tree, make_user, login):
    c = login(make_user(org, Role.TECHNICAL_ADMIN))
    r = c.post(url("unit_create", org), {"name": "Team Water", "parent": tree["south"].pk})
    assert r.status_code == 302
    unit = Unit.objects.get(name="Team Water")
    assert unit.parent == tree["south"]
    r = c.post(
        url("person_create", org),
        {
            "first_name": "Fleur",
            "last_name": "Bakker",
            "contract_type": "employee",
            "start_date": "2024-05-01",
            "salary_scale": "9",
            "unit": unit.pk,
            "username": "fleur.bakker",
        },
    )
    assert r.status_code == 302, r.content.decode()
    fleur = Person.objects.get(last_name="Bakker")
    assert fleur.user.username == "fleur.bakker"
    assert Membership.objects.filter(user=fleur.user, role=Role.EMPLOYEE, organisation=org).exists()


def test_person_form_errors_are_summarised_and_nothing_saved(org, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    before = Person.objects.count()
    r = c.post(
        url("person_create", org),
        {"first_name": "", "last_name": "X", "contract_type": "employee", "start_date": "2024-05-01",
         "end_date": "2020-01-01", "salary_scale": "40"},
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert 'role="alert"' in page
    assert Person.objects.count() == before


def test_edit_person(org, tree, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    nico = Person.objects.get(last_name="Noordman")
    data = {
        "first_name": "Nico", "last_name": "Noordman", "contract_type": "external",
        "start_date": "2024-01-01", "position": "Inspecteur", "unit": tree["north"].pk,
        "vulnerable_position": "on",
    }
    assert c.post(url("person_edit", org, pk=nico.pk), data).status_code == 302
    nico.refresh_from_db()
    assert nico.position == "Inspecteur" and nico.vulnerable_position and nico.unit == tree["north"]
    assert nico.contract_type == "external"


def test_grant_and_revoke_role(org, tree, make_user, login):
    coordinator = make_user(org, Role.COORDINATOR)
    employee = make_user(org, Role.EMPLOYEE)
    c = login(coordinator)
    person = Person.objects.get(user=employee)
    r = c.post(url("membership_list", org), {"person": person.pk, "role": Role.MANAGER, "unit": tree["south"].pk})
    assert r.status_code == 302
    m = Membership.objects.get(user=employee, role=Role.MANAGER)
    assert m.unit == tree["south"]
    assert c.post(url("membership_revoke", org, pk=m.pk)).status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()
    # The only coordinator cannot remove their own last coordinator role.
    own = Membership.objects.get(user=coordinator, role=Role.COORDINATOR)
    r = c.post(url("membership_revoke", org, pk=own.pk), follow=True)
    assert Membership.objects.filter(pk=own.pk).exists()
    assert "laatste integriteitscoördinator" in r.content.decode()


def test_revoke_membership_of_other_organisation_is_404(org, other_org, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    foreign = make_user(other_org, Role.MANAGER)
    m = Membership.objects.get(user=foreign)
    assert c.post(url("membership_revoke", org, pk=m.pk)).status_code == 404
    assert Membership.objects.filter(pk=m.pk).exists()


def test_coordinator_manages_organs_technical_admin_does_not(org, make_user, login):
    c = login(make_user(org, Role.COORDINATOR))
    r = c.post(
        url("organ_create", org),
        {"kind": "counsellor", "name": "Vertrouwenspersoon Jan", "email": "vp@example.test", "order": 1},
    )
    assert r.status_code == 302
    organ = IntegrityOrgan.objects.get(name="Vertrouwenspersoon Jan")
    r = c.post(
        url("organ_edit", org, pk=organ.pk),
        {"kind": "counsellor", "name": "Vertrouwenspersoon Jan", "phone": "012-3456789", "order": 1},
    )
    assert r.status_code == 302
    organ.refresh_from_db()
    assert organ.phone == "012-3456789"
    public = c.get(f"/o/{org.slug}/integriteit/").content.decode()
    assert "Vertrouwenspersoon Jan" in public
    from django.test import Client

    admin = login(make_user(org, Role.TECHNICAL_ADMIN), Client())
    assert admin.get(url("organ_list", org)).status_code == 404
    assert c.post(url("organ_delete", org, pk=organ.pk)).status_code == 302
    assert not IntegrityOrgan.objects.filter(pk=organ.pk).exists()


def test_start_page_sections_per_role(org, tree, make_user, login, client):
    IntegrityOrganFactory(organisation=org)
    coordinator = make_user(org, Role.COORDINATOR)
    page = login(coordinator).get(f"/app/{org.slug}/").content.decode()
    assert "Organisatie en mensen" in page
    assert "4 organisatieonderdelen" in page
    assert url("organ_list", org) in page
    client.logout()
    from django.test import Client

    employee = make_user(org, Role.EMPLOYEE)
    page = login(employee, Client()).get(f"/app/{org.slug}/").content.decode()
    assert "Uw gegevens" in page
    assert "Organisatie en mensen" not in page
    assert url("person_list", org) not in page


def test_start_page_lists_organisations_with_roles(org, other_org, make_user, login):
    from tests.organisations.factories import MembershipFactory
    from tests.organisations.factories import PersonFactory as PF

    user = make_user(org, Role.COORDINATOR)
    PF(organisation=other_org, user=user)
    MembershipFactory(user=user, organisation=other_org, role=Role.AUDITOR)
    page = login(user).get("/app/").content.decode()
    assert org.name in page and other_org.name in page
    assert "Auditor" in page


def test_technical_admin_cannot_grant_roles_that_read_case_content(org, make_user, login):
    admin = make_user(org, Role.TECHNICAL_ADMIN)
    c = login(admin)
    own = Person.objects.get(user=admin)
    page = c.get(url("membership_list", org)).content.decode()
    assert 'value="auditor"' in page and 'value="coordinator"' not in page
    for role in (Role.COORDINATOR, Role.INVESTIGATOR, Role.COUNSELLOR, Role.MANAGER, Role.COMPETENT_AUTHORITY):
        r = c.post(url("membership_list", org), {"person": own.pk, "role": role})
        assert r.status_code == 200
        assert not Membership.objects.filter(user=admin, role=role).exists()
    assert c.post(url("membership_list", org), {"person": own.pk, "role": Role.AUDITOR}).status_code == 302
    coordinator = make_user(org, Role.COORDINATOR)
    make_user(org, Role.COORDINATOR)
    m = Membership.objects.get(user=coordinator, role=Role.COORDINATOR)
    c.post(url("membership_revoke", org, pk=m.pk))
    assert Membership.objects.filter(pk=m.pk).exists()


def test_grant_service_checks_the_actor(org, make_user):
    from django.core.exceptions import ValidationError

    from intact.organisations import services

    admin = make_user(org, Role.TECHNICAL_ADMIN)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=admin, organisation=org, user=admin, role=Role.COORDINATOR)
    # The system (intact demo, migrations) is not limited.
    services.membership_grant(actor="demo", organisation=org, user=admin, role=Role.AUDITOR)
