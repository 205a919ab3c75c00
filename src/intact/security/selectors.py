"""Reads of the security app, through the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from intact.organisations.models import Organisation, Role
from intact.security import policy
from intact.security.models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    """Filters of the audit page; only non-confidential columns are searchable."""

    action: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, query: Any) -> AuditFilters:
        def date(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        return cls(
            action=query.get("actie", "").strip()[:60],
            actor=query.get("gebruiker", "").strip()[:200],
            object_type=query.get("soort", "").strip()[:60],
            date_from=date("van"),
            date_to=date("tot"),
        )

    def as_detail(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}

    def as_query(self) -> str:
        pairs = {
            "actie": self.action,
            "gebruiker": self.actor,
            "soort": self.object_type,
            "van": self.date_from.isoformat() if self.date_from else "",
            "tot": self.date_to.isoformat() if self.date_to else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def audit_entries_for_organisation(
    *, user: Any, slug: str, filters: AuditFilters
) -> tuple[Organisation, QuerySet[AuditEntry]]:
    """The audit entries of organisation ``slug``, newest first, for its central coordinator.

    Only a coordinator for the whole organisation may read them (a unit
    coordinator would learn of activity outside their unit); anyone else
    gets 404, like an organisation that does not exist.
    """
    organisation = policy.organisation_for(user, slug, [Role.COORDINATOR])
    if policy.unit_scope(user, organisation, Role.COORDINATOR) is not None:
        raise Http404
    entries = AuditEntry.objects.filter(organisation_id=organisation.pk)
    if filters.action:
        entries = entries.filter(action__icontains=filters.action)
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.object_type:
        entries = entries.filter(object_type__icontains=filters.object_type)
    if filters.date_from:
        entries = entries.filter(timestamp__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(timestamp__date__lte=filters.date_to)
    return organisation, entries.order_by("-id")


def may_read_audit(user: Any, organisation: Organisation) -> bool:
    """True for a coordinator of the whole organisation."""
    return policy.has_role(user, organisation, Role.COORDINATOR) and (
        policy.unit_scope(user, organisation, Role.COORDINATOR) is None
    )


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """A link to the audit log on the coordinator's start page."""
    if not may_read_audit(user, organisation):
        return []
    return [
        {
            "title": _("Auditlog"),
            "template": "security/start_section.html",
            "context": {"organisation": organisation},
            "order": 90,
        }
    ]
