"""Reads of organisations, units, people and organs, through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from intact.organisations.models import IntegrityOrgan, Membership, Organisation, Person, Unit
from intact.security import policy


def organisation_list_public() -> QuerySet[Organisation]:
    """Organisations whose public pages (report, mailbox, integrity page) are open."""
    return Organisation.objects.filter(is_active=True).order_by("name")


def organisation_get_public(*, slug: str) -> Organisation:
    """An active organisation by slug, for its public pages; 404 otherwise."""
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None:
        raise Http404
    return org


def organisations_for_user(*, user: Any) -> list[Organisation]:
    return policy.organisations_of(user)


def memberships_for_user(*, user: Any) -> list[Membership]:
    return policy.memberships(user)


def organisation_for_user(*, user: Any, slug: str, roles: tuple[str, ...] = ()) -> Organisation:
    """The organisation if the user holds one of ``roles`` there (any role if empty); else 404."""
    return policy.organisation_for(user, slug, roles)


def unit_list(*, user: Any, organisation: Organisation) -> QuerySet[Unit]:
    if not policy.has_role(user, organisation):
        raise Http404
    return Unit.objects.filter(organisation=organisation).select_related("parent")


def person_list(*, user: Any, organisation: Organisation) -> QuerySet[Person]:
    """People of the organisation, for the roles that keep the personnel overview."""
    if not policy.has_role(user, organisation, *policy.PEOPLE_ROLES):
        raise Http404
    return Person.objects.filter(organisation=organisation).select_related("unit")


def person_get(*, user: Any, organisation: Organisation, pk: int) -> Person:
    person = person_list(user=user, organisation=organisation).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_for_user(*, user: Any, organisation: Organisation) -> Person | None:
    """The user's own person record in the organisation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(organisation=organisation, user=user).first()


def organ_list_public(*, organisation: Organisation) -> QuerySet[IntegrityOrgan]:
    """The integrity organs directory: public by design (who to turn to)."""
    return IntegrityOrgan.objects.filter(organisation=organisation).select_related("person")
