"""Fixtures for the register tests: an organisation with two units and people in each role."""

import datetime as dt
from types import SimpleNamespace

import pytest

from intact.organisations.models import Person
from tests.organisations.factories import PersonFactory, UnitFactory


@pytest.fixture
def fast_user(db):
    """fast_user(org, role, unit=None): like make_user, without hashing a password (Argon2 is slow)."""
    from django.contrib.auth import get_user_model

    from tests.organisations.factories import MembershipFactory

    counter = iter(range(10**6))

    def make(organisation, role="employee", *, unit=None):
        n = next(counter)
        user = get_user_model()(
            username=f"reg-{role}-{n}-{organisation.slug}",
            first_name="Test",
            last_name=f"{role.title()}{n}",
        )
        user.set_unusable_password()
        user.save()
        MembershipFactory(user=user, organisation=organisation, role=role, unit=unit)
        PersonFactory(
            organisation=organisation, user=user, first_name="Test", last_name=user.last_name
        )
        return user

    return make


@pytest.fixture
def world(org, other_org, fast_user):
    """Units A (with child A1) and B; an employee in A1, a manager of A, a coordinator, and more."""
    unit_a = UnitFactory(organisation=org, name="Afdeling A")
    unit_a1 = UnitFactory(organisation=org, name="Team A1", parent=unit_a)
    unit_b = UnitFactory(organisation=org, name="Afdeling B")

    def user_with_person(role, unit=None, person_unit=None, **person):
        user = fast_user(org, role, unit=unit)
        p = Person.objects.get(organisation=org, user=user)
        p.unit = person_unit
        for k, v in person.items():
            setattr(p, k, v)
        p.save()
        return user, p

    employee, employee_p = user_with_person(
        "employee", person_unit=unit_a1, position="Beleidsmedewerker", salary_scale=10
    )
    colleague, colleague_p = user_with_person(
        "employee", person_unit=unit_b, position="Inkoper", salary_scale=9
    )
    manager, manager_p = user_with_person(
        "manager", unit=unit_a, person_unit=unit_a, position="Afdelingshoofd", salary_scale=14
    )
    coordinator, coordinator_p = user_with_person(
        "coordinator", person_unit=unit_b, position="Integriteitscoördinator", salary_scale=12
    )
    auditor, _ = user_with_person("auditor")
    admin, _ = user_with_person("technical_admin")
    outsider = fast_user(other_org, "coordinator")
    return SimpleNamespace(
        org=org,
        other_org=other_org,
        unit_a=unit_a,
        unit_a1=unit_a1,
        unit_b=unit_b,
        employee=employee,
        employee_p=employee_p,
        colleague=colleague,
        colleague_p=colleague_p,
        manager=manager,
        manager_p=manager_p,
        coordinator=coordinator,
        coordinator_p=coordinator_p,
        auditor=auditor,
        admin=admin,
        outsider=outsider,
    )


@pytest.fixture
def newcomer(org):
    """An employee who started a month ago (oath not yet due)."""
    return PersonFactory(
        organisation=org, start_date=dt.date.today() - dt.timedelta(days=30), employee_number="N1"
    )
