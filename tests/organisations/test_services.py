import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from intact.organisations import services
from intact.organisations.models import Membership, Person, Role
from intact.security.models import AuditEntry
from tests.organisations.factories import PersonFactory, UnitFactory, UserFactory


def _actions():
    return list(AuditEntry.objects.values_list("action", flat=True))


def test_organisation_and_unit_create_are_audited(db):
    org = services.organisation_create(actor=None, slug="gem-x", name="Gemeente X")
    central = services.unit_create(actor=None, organisation=org, name="Concernstaf", is_central=True)
    services.unit_create(actor=None, organisation=org, name="Team Noord", parent=central)
    assert _actions() == ["organisation.create", "unit.create", "unit.create"]
    assert central.children.count() == 1


def test_unit_parent_of_another_organisation_is_refused(org, other_org):
    foreign = UnitFactory(organisation=other_org)
    with pytest.raises(ValidationError):
        services.unit_create(actor=None, organisation=org, name="X", parent=foreign)


def test_person_create_with_login_gets_employee_role(org):
    person = services.person_create(
        actor=None,
        organisation=org,
        first_name="Anouk",
        last_name="de Vries",
        start_date=dt.date(2023, 3, 1),
        username="anouk",
    )
    assert person.user.username == "anouk"
    assert not person.user.has_usable_password()
    assert Membership.objects.filter(user=person.user, organisation=org, role=Role.EMPLOYEE).exists()
    assert _actions() == ["person.create", "membership.grant"]


def test_person_create_refuses_end_before_start_and_changes_nothing(org):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=None,
            organisation=org,
            first_name="A",
            last_name="B",
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2023, 1, 1),
            username="ab",
        )
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_person_update_records_changed_fields_only(org):
    person = PersonFactory(organisation=org, position="Beleidsmedewerker")
    services.person_update(actor=None, person=person, position="Teamleider", salary_scale=11)
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.detail == {"fields": ["position", "salary_scale"]}
    assert "Teamleider" not in str(entry.detail)
    services.person_update(actor=None, person=person, position="Teamleider")
    assert AuditEntry.objects.filter(action="person.update").count() == 1


def test_person_update_rejects_unknown_fields(org):
    person = PersonFactory(organisation=org)
    with pytest.raises(TypeError):
        services.person_update(actor=None, person=person, organisation=None)


def test_membership_grant_needs_person_in_organisation(org, other_org):
    user = UserFactory()
    PersonFactory(organisation=other_org, user=user)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=None, organisation=org, user=user, role=Role.MANAGER)
    PersonFactory(organisation=org, user=user)
    m1 = services.membership_grant(actor=None, organisation=org, user=user, role=Role.MANAGER)
    m2 = services.membership_grant(actor=None, organisation=org, user=user, role=Role.MANAGER)
    assert m1.pk == m2.pk
    assert AuditEntry.objects.filter(action="membership.grant").count() == 1


def test_last_coordinator_cannot_be_revoked(org, make_user):
    first = make_user(org, Role.COORDINATOR)
    membership = Membership.objects.get(user=first, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        services.membership_revoke(actor=None, membership=membership)
    second = make_user(org, Role.COORDINATOR)
    services.membership_revoke(actor=None, membership=membership)
    assert not Membership.objects.filter(user=first, role=Role.COORDINATOR).exists()
    assert Membership.objects.filter(user=second, role=Role.COORDINATOR).exists()
    assert AuditEntry.objects.filter(action="membership.revoke").count() == 1


def test_organ_create_and_update(org, other_org):
    organ = services.organ_create(
        actor=None, organisation=org, kind="external_body", name="Huis voor Klokkenluiders",
        website="https://www.huisvoorklokkenluiders.nl", is_external=True,
    )
    services.organ_update(actor=None, organ=organ, phone="088 1331 000")
    organ.refresh_from_db()
    assert organ.phone == "088 1331 000"
    with pytest.raises(ValidationError):
        services.organ_update(actor=None, organ=organ, person=PersonFactory(organisation=other_org))
    assert _actions() == ["organ.create", "organ.update"]
