"""The access policy: who may see and do what. The one place that decides.

Selectors in every app call these functions with the acting user. Anything a
user may not see is answered with ``Http404``, exactly like something that
does not exist (DESIGN rule 1), so nobody learns that a record exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404

from intact.organisations.models import Membership, Organisation, Role

# Roles whose holders can read confidential data and so must use two factors.
CONFIDENTIAL_ROLES = frozenset(
    {
        Role.COUNSELLOR,
        Role.MANAGER,
        Role.COORDINATOR,
        Role.INVESTIGATOR,
        Role.COMPETENT_AUTHORITY,
        Role.TECHNICAL_ADMIN,  # installation-wide power: two factors as well
    }
)
# Roles that may read confidential case content at all (technical administrators never).
CASE_CONTENT_ROLES = frozenset(
    {
        Role.COUNSELLOR,
        Role.MANAGER,
        Role.COORDINATOR,
        Role.INVESTIGATOR,
        Role.COMPETENT_AUTHORITY,
    }
)
# Roles that may see the personnel administration (people, units) of their organisation.
PEOPLE_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER, Role.COMPETENT_AUTHORITY, Role.TECHNICAL_ADMIN})

_CACHE_ATTR = "_intact_memberships"


def memberships(user: Any) -> list[Membership]:
    """All role memberships of ``user``, cached on the user object for one request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organisation__is_active=True).select_related(
                "organisation", "unit"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the cached memberships (after roles change within one request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: Any, organisation: Organisation | int) -> set[str]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return {m.role for m in memberships(user) if m.organisation_id == org_id}


def has_role(user: Any, organisation: Organisation | int, *roles: str) -> bool:
    """True when ``user`` holds any of ``roles`` in ``organisation`` (any role if none given)."""
    held = roles_in(user, organisation)
    return bool(held & set(roles)) if roles else bool(held)


def organisations_of(user: Any, *roles: str) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for m in memberships(user):
        if not roles or m.role in roles:
            seen.setdefault(m.organisation_id, m.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


def unit_scope(user: Any, organisation: Organisation | int, role: str) -> set[int] | None:
    """The unit ids a role is limited to; ``None`` means the whole organisation."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    units: set[int] = set()
    for m in memberships(user):
        if m.organisation_id == org_id and m.role == role:
            if m.unit_id is None:
                return None
            units.add(m.unit_id)
    return units


def needs_second_factor(user: Any) -> bool:
    """Two factors are mandatory for every role that can read confidential data.

    Superusers and staff (who may enter the technical admin) need them as well.
    """
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return any(m.role in CONFIDENTIAL_ROLES for m in memberships(user))


def organisation_for(user: Any, slug: str, roles: Iterable[str] = ()) -> Organisation:
    """The organisation ``slug`` if ``user`` holds one of ``roles`` there; else 404."""
    wanted = set(roles)
    for m in memberships(user):
        if m.organisation.slug == slug and (not wanted or m.role in wanted):
            return m.organisation
    raise Http404


def may_read_case_content(user: Any, organisation: Organisation | int) -> bool:
    """Technical administrators and auditors never read case content."""
    return bool(roles_in(user, organisation) & CASE_CONTENT_ROLES)
