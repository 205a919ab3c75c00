"""Declaring which roles a staff page or API view is for.

Every view under ``/app/<org>/`` and every organisation-scoped API view says
which roles it serves, with :func:`for_roles` on a function view or the
``intact_roles`` attribute on a class-based / DRF view. The declaration does
not grant anything by itself: the view's selector still calls the access
policy (``intact.security.policy``). It exists so that
``tests/core/test_url_enumeration.py`` can prove, for every URL the project
has, that every role *outside* the declaration — and every user of another
organisation — gets a 404 exactly like a non-existent object.

    @for_roles(Role.COORDINATOR, Role.TECHNICAL_ADMIN)
    def person_create(request, org): ...

    class PersonViewSet(viewsets.ReadOnlyModelViewSet):
        intact_roles = PEOPLE_ROLES

Use ``ALL_ROLES`` for pages that every member of the organisation may open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from intact.organisations.models import Role

ALL_ROLES: frozenset[str] = frozenset(Role.values)
ATTRIBUTE = "intact_roles"

F = TypeVar("F", bound=Callable[..., Any])


def for_roles(*roles: str | Iterable[str]) -> Callable[[F], F]:
    """Mark a view function with the roles it serves (flattening sets such as PEOPLE_ROLES)."""
    flat: set[str] = set()
    for role in roles:
        if isinstance(role, str):
            flat.add(str(role))
        else:
            flat.update(str(r) for r in role)
    unknown = flat - ALL_ROLES
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")

    def mark(view: F) -> F:
        setattr(view, ATTRIBUTE, frozenset(flat))
        return view

    return mark


def declared_roles(callback: Any) -> frozenset[str] | None:
    """The roles a resolved URL callback declares, or None when it declares nothing.

    Looks through decorators (``__wrapped__``) and at the class of
    class-based views (``view_class``) and DRF views (``cls``).
    """
    seen = 0
    current = callback
    while current is not None and seen < 20:
        value = getattr(current, ATTRIBUTE, None)
        if value is not None:
            return frozenset(str(r) for r in value)
        for attr in ("cls", "view_class"):
            klass = getattr(current, attr, None)
            if klass is not None and getattr(klass, ATTRIBUTE, None) is not None:
                return frozenset(str(r) for r in getattr(klass, ATTRIBUTE))
        current = getattr(current, "__wrapped__", None)
        seen += 1
    return None
