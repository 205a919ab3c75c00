"""The incident notification that donors and the Ministry of Foreign Affairs ask for, from one case.

Fields: organisation, date of the report, country/programme, nature of the
incident, persons affected (counted by role, never named), actions taken,
whether police or other authorities were informed, status. Read through the
cases app's selectors (``case_get_for`` checks access and audits the view;
``case_file`` gives the case's parts), so who may not see the case gets 404.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from intact.organisations.models import Organisation, Role
from intact.policy.documents import Document, Heading, Meta, Paragraph, Table, build_docx, build_pdf
from intact.security import audit

# Who may export a notification: those who make them (coordinator, competent authority).
ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY})
AUTHORITY_KINDS = {"police_report", "ministry", "cbf", "supervisory_board", "other", "donor"}


def notification_fields(*, user: Any, organisation: Organisation, reference: str) -> dict[str, Any]:
    """The notification's fields for a case the user may read in full; 404 otherwise."""
    from intact.cases import access
    from intact.cases import selectors as cases

    case, level = cases.case_get_for(user=user, organisation=organisation, reference=reference)
    if level != access.CONTENT:
        raise Http404
    parts = cases.case_file(case=case, user=user)
    roles = Counter(p.role for p in parts["parties"])
    affected = ", ".join(
        f"{n} × {label}"
        for code, label in (
            ("victim", _("slachtoffer")),
            ("reporter", _("melder")),
            ("witness", _("getuige")),
        )
        if (n := roles.get(code))
    ) or _("niet vastgelegd")
    actions = [m.measure_type.name_nl for m in parts["measures"]]
    actions += [
        _("Zorgmaatregel") + (" (" + _("afgerond") + ")" if c.status == "done" else "")
        for c in parts["care_measures"]
    ]
    actions += [a.label for a in parts["actions"] if a.status == "done"]
    informed = [
        f"{n.get_kind_display()} ({n.sent_on.isoformat()})"
        for n in parts["notifications"]
        if n.kind in AUTHORITY_KINDS
    ]
    police = any(n.kind == "police_report" for n in parts["notifications"])
    return {
        "organisation": organisation.name,
        "reference": case.reference,
        "date_of_report": case.received_on.isoformat(),
        "country_programme": case.unit.name if case.unit_id else _("niet vastgelegd"),
        "nature": "; ".join(c.name_nl for c in parts["categories"]) or _("niet geclassificeerd"),
        "summary": case.summary_description or "",
        "severity": case.get_severity_display() if case.severity else _("nog geen triage"),
        "persons_affected": affected,
        "actions_taken": actions or [_("nog geen")],
        "police_informed": _("ja") if police else _("nee"),
        "authorities_informed": informed or [_("geen")],
        "status": str(parts["status_label"]),
    }


def notification_document(fields: dict[str, Any]) -> Document:
    return Document(
        title=_("Incidentmelding %(ref)s") % {"ref": fields["reference"]},
        subject=_("Incidentmelding voor donor of ministerie"),
        blocks=[
            Meta(
                [
                    (_("Organisatie"), fields["organisation"]),
                    (_("Datum melding"), fields["date_of_report"]),
                    (_("Land / programma"), fields["country_programme"]),
                    (_("Ernst"), fields["severity"]),
                    (_("Status"), fields["status"]),
                ]
            ),
            Heading(_("Aard van het incident"), 1),
            Paragraph(fields["nature"]),
            *([Paragraph(fields["summary"])] if fields["summary"] else []),
            Heading(_("Betrokken personen (zonder namen)"), 1),
            Paragraph(fields["persons_affected"]),
            Heading(_("Genomen maatregelen"), 1),
            Table(header=[_("Maatregel")], rows=[[a] for a in fields["actions_taken"]]),
            Heading(_("Politie en autoriteiten"), 1),
            Paragraph(_("Politie geïnformeerd: %(p)s") % {"p": fields["police_informed"]}),
            Table(header=[_("Geïnformeerd")], rows=[[a] for a in fields["authorities_informed"]]),
        ],
    )


def notification_export(
    *, user: Any, organisation: Organisation, reference: str, fmt: str
) -> tuple[bytes, str]:
    """(bytes, file name) of the notification as DOCX or PDF; audited."""
    fields = notification_fields(user=user, organisation=organisation, reference=reference)
    doc = notification_document(fields)
    data = build_docx(doc) if fmt == "docx" else build_pdf(doc)
    audit.record(
        user,
        "accountability.incident_exported",
        organisation=organisation,
        object_type="cases.case",
        object_id=fields["reference"],
        detail={"format": fmt},
    )
    return data, f"incidentmelding-{fields['reference']}.{fmt}"
