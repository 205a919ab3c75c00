"""Writes for organisations, units, people, role memberships and integrity organs.

Every function is keyword-only, runs in one transaction and writes its audit
entry inside it. The acting user is passed as ``actor`` (None for system
actions such as ``intact demo``); the views have already applied the access
policy, and the functions check the invariants that hold whoever calls them
(a unit, a person and a membership always belong to the same organisation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from intact.organisations.models import (
    ContractType,
    IntegrityOrgan,
    Membership,
    Organisation,
    OrganisationKind,
    OrganKind,
    Person,
    Role,
    Unit,
)
from intact.security import audit, policy

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "employee_number",
    "contract_type",
    "position",
    "salary_scale",
    "unit",
    "start_date",
    "end_date",
    "vulnerable_position",
)
ORGAN_FIELDS = (
    "kind",
    "name",
    "description",
    "person",
    "email",
    "phone",
    "website",
    "is_external",
    "order",
)


def _same_org(organisation: Organisation, obj: Any, field: str) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise ValidationError({field: _("Hoort niet bij deze organisatie.")})


def organisation_create(
    *,
    actor: Any,
    slug: str,
    name: str,
    kind: str = OrganisationKind.GOVERNMENT,
    sector: str = "",
    website: str = "",
) -> Organisation:
    """Create an organisation (a tenant). Its data key is created on first use by security.keys."""
    with transaction.atomic():
        organisation = Organisation(slug=slug, name=name, kind=kind, sector=sector, website=website)
        organisation.full_clean()
        organisation.save()
        audit.record(
            actor,
            "organisation.create",
            organisation=organisation,
            obj=organisation,
            detail={"slug": slug, "kind": kind},
        )
    return organisation


def unit_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    parent: Unit | None = None,
    code: str = "",
    is_central: bool = False,
) -> Unit:
    """Add a unit to the organisation's tree, under ``parent`` (a root unit when None)."""
    _same_org(organisation, parent, "parent")
    with transaction.atomic():
        unit = Unit(
            organisation=organisation, parent=parent, name=name, code=code, is_central=is_central
        )
        unit.full_clean()
        unit.save()
        audit.record(actor, "unit.create", organisation=organisation, obj=unit)
    return unit


def _user_for_login(*, username: str, person: Person) -> Any:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam is al in gebruik.")})
    user = User(
        username=username,
        first_name=person.first_name[:150],
        last_name=person.last_name[:150],
        email=person.email,
    )
    # No password yet: the person sets one through the account set-up
    # (or single sign-on); nobody ever knows it but them.
    user.set_unusable_password()
    user.save()
    return user


def person_create(
    *,
    actor: Any,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    contract_type: str = ContractType.EMPLOYEE,
    start_date: dt.date,
    email: str = "",
    employee_number: str = "",
    position: str = "",
    salary_scale: int | None = None,
    unit: Unit | None = None,
    end_date: dt.date | None = None,
    vulnerable_position: bool = False,
    user: Any = None,
    username: str = "",
) -> Person:
    """Register a person. With ``username`` a login account is created and linked (no password yet).

    A new account gets the employee role, so the person sees their own
    obligations; other roles are granted with :func:`membership_grant`.
    """
    _same_org(organisation, unit, "unit")
    with transaction.atomic():
        person = Person(
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            email=email,
            employee_number=employee_number,
            contract_type=contract_type,
            position=position,
            salary_scale=salary_scale,
            unit=unit,
            start_date=start_date,
            end_date=end_date,
            vulnerable_position=vulnerable_position,
            user=user,
        )
        person.full_clean()
        if username and user is None:
            person.user = _user_for_login(username=username, person=person)
        person.save()
        audit.record(
            actor,
            "person.create",
            organisation=organisation,
            obj=person,
            detail={"account": person.user_id is not None},
        )
        if username and person.user_id:
            membership_grant(
                actor=actor, organisation=organisation, user=person.user, role=Role.EMPLOYEE
            )
    return person


def person_update(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Change a person's details; the audit entry names the changed fields (never their values)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update does not change {sorted(unknown)}")
    if "unit" in changes:
        _same_org(person.organisation, changes["unit"], "unit")
    with transaction.atomic():
        changed = []
        for field, value in changes.items():
            if getattr(person, field) != value:
                setattr(person, field, value)
                changed.append(field)
        if changed:
            person.full_clean()
            person.save(update_fields=changed)
            audit.record(
                actor,
                "person.update",
                organisation=person.organisation_id,
                obj=person,
                detail={"fields": sorted(changed)},
            )
    return person


def person_link_user(*, actor: Any, person: Person, user: Any) -> Person:
    """Link an existing login account to a person (one person per user per organisation)."""
    with transaction.atomic():
        person.user = user
        person.full_clean()
        person.save(update_fields=["user"])
        audit.record(
            actor,
            "person.link_user",
            organisation=person.organisation_id,
            obj=person,
            detail={"user_id": user.pk},
        )
    return person


def _check_may_manage(actor: Any, organisation: Any, role: str) -> None:
    """A user may only grant or revoke the roles they manage (system actors: all)."""
    from intact.organisations.selectors import grantable_roles

    if actor is None or isinstance(actor, str):
        return
    if role not in grantable_roles(user=actor, organisation=organisation):
        raise ValidationError({"role": _("U mag deze rol niet toekennen of intrekken.")})


def membership_grant(
    *, actor: Any, organisation: Organisation, user: Any, role: str, unit: Unit | None = None
) -> Membership:
    """Give ``user`` a role in the organisation (limited to ``unit`` and below when given).

    Granting a role the user already holds returns the existing membership.
    Only users with a person record in the organisation can hold a role there;
    a technical administrator cannot grant roles that read case content.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Onbekende rol.")})
    _check_may_manage(actor, organisation, role)
    _same_org(organisation, unit, "unit")
    if not Person.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("Deze gebruiker is geen persoon in deze organisatie.")})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, unit=unit
        )
        if created:
            audit.record(
                actor,
                "membership.grant",
                organisation=organisation,
                obj=membership,
                detail={"user_id": user.pk, "role": role, "unit_id": getattr(unit, "pk", None)},
            )
    policy.forget(user)
    return membership


def membership_revoke(*, actor: Any, membership: Membership) -> None:
    """Take a role away. The last coordinator of an organisation cannot be removed."""
    _check_may_manage(actor, membership.organisation, membership.role)
    with transaction.atomic():
        if membership.role == Role.COORDINATOR and membership.unit_id is None:
            others = (
                Membership.objects.select_for_update()
                .filter(
                    organisation_id=membership.organisation_id,
                    role=Role.COORDINATOR,
                    unit__isnull=True,
                )
                .exclude(pk=membership.pk)
            )
            if not others.exists():
                raise ValidationError(
                    _("De laatste integriteitscoördinator van de organisatie kan niet worden verwijderd.")
                )
        audit.record(
            actor,
            "membership.revoke",
            organisation=membership.organisation_id,
            obj=membership,
            detail={
                "user_id": membership.user_id,
                "role": membership.role,
                "unit_id": membership.unit_id,
            },
        )
        user = membership.user
        membership.delete()
    policy.forget(user)


def organ_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str = OrganKind.OTHER,
    name: str,
    description: str = "",
    person: Person | None = None,
    email: str = "",
    phone: str = "",
    website: str = "",
    is_external: bool = False,
    order: int = 0,
) -> IntegrityOrgan:
    """Add an entry to the directory of integrity organs (shown on the public integrity page)."""
    _same_org(organisation, person, "person")
    with transaction.atomic():
        organ = IntegrityOrgan(
            organisation=organisation,
            kind=kind,
            name=name,
            description=description,
            person=person,
            email=email,
            phone=phone,
            website=website,
            is_external=is_external,
            order=order,
        )
        organ.full_clean()
        organ.save()
        audit.record(actor, "organ.create", organisation=organisation, obj=organ)
    return organ


def organ_update(*, actor: Any, organ: IntegrityOrgan, **changes: Any) -> IntegrityOrgan:
    """Change a directory entry; the audit entry names the changed fields."""
    unknown = set(changes) - set(ORGAN_FIELDS)
    if unknown:
        raise TypeError(f"organ_update does not change {sorted(unknown)}")
    if "person" in changes:
        _same_org(organ.organisation, changes["person"], "person")
    with transaction.atomic():
        changed = []
        for field, value in changes.items():
            if getattr(organ, field) != value:
                setattr(organ, field, value)
                changed.append(field)
        if changed:
            organ.full_clean()
            organ.save(update_fields=changed)
            audit.record(
                actor,
                "organ.update",
                organisation=organ.organisation_id,
                obj=organ,
                detail={"fields": sorted(changed)},
            )
    return organ


def organ_delete(*, actor: Any, organ: IntegrityOrgan) -> None:
    """Remove an entry from the directory."""
    with transaction.atomic():
        audit.record(actor, "organ.delete", organisation=organ.organisation_id, obj=organ)
        organ.delete()
