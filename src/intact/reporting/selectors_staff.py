"""Reads of the staff side: terms, routes, reveal requests, start page and public sections.

Every read of a report goes through ``selectors.report_list_for`` /
``report_get_for`` (the access policy); this module adds what hangs off a
report the user already may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from intact.core.paging import Page, slice_page
from intact.organisations.models import Role
from intact.reporting import deadlines
from intact.reporting.models_procedures import (
    IdentityRevealRequest,
    ReportRoute,
    ReportTerm,
    RevealStatus,
    TermStatus,
)
from intact.security import audit, policy

DUE_SOON_DAYS = 7

EVENT_LABELS = {
    "received": _("Melding ontvangen"),
    "acknowledged": _("Ontvangst bevestigd"),
    "message_to_reporter": _("Bericht aan de melder"),
    "message_from_reporter": _("Bericht van de melder"),
    "feedback_given": _("Terugkoppeling gegeven"),
    "case_opened": _("In behandeling genomen als zaak"),
    "closed": _("Afgesloten"),
    "meeting_requested": _("Melder vraagt om een gesprek"),
    "note_added": _("Interne notitie toegevoegd"),
    "mailbox_blocked": _("Postbus geblokkeerd"),
    "mailbox_unblocked": _("Postbus gedeblokkeerd"),
    "access_granted": _("Toegang gegeven"),
    "access_revoked": _("Toegang ingetrokken"),
    "implicated_added": _("Betrokkene toegevoegd"),
    "identity_reveal_requested": _("Verzoek om de identiteit ingediend"),
    "identity_reveal_approved": _("Verzoek om de identiteit goedgekeurd"),
    "identity_reveal_refused": _("Verzoek om de identiteit geweigerd"),
    "registered_on_behalf": _("Geregistreerd namens de melder"),
    "minutes_sent": _("Verslag naar de melder gestuurd"),
    "minutes_confirmed": _("Verslag door de melder bevestigd"),
    "term_extended": _("Termijn verlengd"),
    "term_paused": _("Termijn opgeschort"),
    "term_resumed": _("Termijn hervat"),
    "escalated": _("Geëscaleerd naar de volgende trede"),
}


def timeline_for_report(*, report: Any) -> list[dict[str, Any]]:
    """The full timeline for handlers (including entries the reporter never sees), labelled."""
    from intact.reporting.models import ReportEvent

    return [
        {"at": e.at, "label": EVENT_LABELS.get(e.kind, e.kind), "actor": e.actor_label,
         "visible_to_reporter": e.visible_to_reporter}
        for e in ReportEvent.objects.filter(report=report).order_by("at", "pk")
    ]


def _today() -> dt.date:
    return deadlines.local_date(timezone.now())


def terms_for_report(*, report: Any) -> list[ReportTerm]:
    """The report's terms (``report`` comes from ``report_get_for``), with ``overdue`` set."""
    today = _today()
    terms = list(ReportTerm.objects.filter(report=report).select_related("definition").order_by("due_date"))
    for term in terms:
        term.overdue = term.is_open and term.due_date < today
    return terms


def routes_for_report(*, report: Any) -> list[ReportRoute]:
    """The routes the report took (procedure versions and counts)."""
    return list(ReportRoute.objects.filter(report=report).select_related("procedure"))


def terms_open_for(*, user: Any, organisation: Any) -> QuerySet[ReportTerm]:
    """Open terms of the reports ``user`` may see (through ``report_list_for``)."""
    from intact.reporting.selectors import report_list_for

    visible = report_list_for(user=user, organisation=organisation)
    return (
        ReportTerm.objects.filter(report__in=visible.values("pk"),
                                  status__in=[TermStatus.RUNNING, TermStatus.PAUSED])
        .select_related("definition", "report")
        .order_by("due_date", "pk")
    )


INBOX_COLUMNS = (
    "pk",
    "organisation_id",
    "reference",
    "report_type",
    "anonymity",
    "channel",
    "status",
    "received_at",
    "acknowledged_at",
)
INBOX_PAGE_SIZE = 50


def inbox_queryset_for(*, user: Any, organisation: Any) -> QuerySet[Any]:
    """The reports ``user`` may see (``report_list_for``), newest first, metadata columns only.

    Nothing encrypted is read (answers, close reason, e-mail address stay
    deferred); each report carries ``has_unread`` (a message from the reporter
    not yet read). Evaluate it a page at a time (``inbox_page_for``, the API's
    paginator) and add the terms with ``inbox_rows_for``.
    """
    from intact.reporting.models import Message, MessageDirection
    from intact.reporting.selectors import report_list_for

    unread = Message.objects.filter(
        report=OuterRef("pk"), direction=MessageDirection.FROM_REPORTER, read_at__isnull=True
    )
    return (
        report_list_for(user=user, organisation=organisation)
        .only(*INBOX_COLUMNS)
        .annotate(has_unread=Exists(unread))
        .order_by("-received_at", "-pk")
    )


def inbox_rows_for(*, reports: list[Any]) -> list[dict[str, Any]]:
    """Inbox lines for reports read through ``inbox_queryset_for``: next open term, overdue, unread.

    One query for the open terms of these reports only.
    """
    today = _today()
    open_terms: dict[int, list[ReportTerm]] = {}
    if reports:
        for term in (
            ReportTerm.objects.filter(
                report_id__in=[r.pk for r in reports],
                status__in=[TermStatus.RUNNING, TermStatus.PAUSED],
            )
            .select_related("definition")
            .order_by("due_date", "pk")
        ):
            open_terms.setdefault(term.report_id, []).append(term)
    rows = []
    for report in reports:
        terms = open_terms.get(report.pk, [])
        nxt = terms[0] if terms else None
        rows.append(
            {
                "report": report,
                "next_term": nxt,
                "overdue": bool(nxt and nxt.due_date < today),
                "has_unread": bool(report.has_unread),
            }
        )
    return rows


InboxPage = Page  # one page of the inbox (rows as ``inbox_rows_for``)


def inbox_page_for(
    *, user: Any, organisation: Any, page: Any = 1, per_page: int = INBOX_PAGE_SIZE
) -> InboxPage:
    """One page of the inbox: the count and at most ``per_page`` rows (see ``inbox_rows_for``).

    A page number out of range (or not a number) gives the nearest page.
    Not audited: rows hold metadata only, no confidential content.
    """
    qs = inbox_queryset_for(user=user, organisation=organisation)
    reports, count, number = slice_page(qs, page, per_page)
    return InboxPage(inbox_rows_for(reports=reports), count, number, per_page)


def reveal_requests_for_custodian(*, user: Any, organisation: Any) -> list[IdentityRevealRequest]:
    """Pending and decided reveal requests a custodian may decide on (never their own or when implicated)."""
    from intact.reporting.models import ImplicatedPerson
    from intact.reporting.services_staff import is_custodian

    if not is_custodian(user, organisation):
        return []
    implicated = ImplicatedPerson.objects.filter(report=OuterRef("report"), person__user=user)
    return list(
        IdentityRevealRequest.objects.filter(organisation=organisation)
        .exclude(requested_by=user)
        .exclude(Exists(implicated))
        .select_related("report", "requested_by", "decided_by")
        .order_by("status", "-created_at")[:200]
    )


def reveal_request_for_custodian(*, user: Any, organisation: Any, pk: int) -> IdentityRevealRequest:
    """One reveal request for a custodian to decide; 404 otherwise. The view is audited."""
    for req in reveal_requests_for_custodian(user=user, organisation=organisation):
        if req.pk == pk:
            audit.record(user, "reporting.reveal_request_viewed", organisation=organisation,
                         obj=req.report, detail={"request": req.pk})
            return req
    raise Http404


def reveal_requests_of(*, user: Any, report: Any) -> list[IdentityRevealRequest]:
    """The acting user's own reveal requests for a report."""
    return list(IdentityRevealRequest.objects.filter(report=report, requested_by=user))


def start_sections(user: Any, organisation: Any) -> list[dict]:
    """Start-page section: terms of the user's reports that are due soon or overdue."""
    if not policy.may_read_case_content(user, organisation):
        return []
    today = _today()
    terms = list(terms_open_for(user=user, organisation=organisation)[:200])
    overdue = [t for t in terms if t.due_date < today]
    due = [t for t in terms if today <= t.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS)]
    pending = sum(
        1 for r in reveal_requests_for_custodian(user=user, organisation=organisation)
        if r.status == RevealStatus.PENDING
    )
    from intact.reporting.selectors import report_list_for

    has_reports = report_list_for(user=user, organisation=organisation).exists()
    sections = []
    if has_reports or pending:
        sections.append(
            {
                "title": _("Meldingen: termijnen"),
                "template": "reporting/includes/start_terms.html",
                "context": {
                    "org_slug": organisation.slug,
                    "overdue": overdue,
                    "due": due,
                    "reveal_pending": pending,
                },
                "order": 10,
            }
        )
    if policy.has_role(user, organisation, Role.COORDINATOR):
        # The coordinator sets up the reporting routes, terms and settings; without
        # this section those pages had no link anywhere (found in QA).
        sections.append(
            {
                "title": _("Meldroutes en termijnen"),
                "template": "reporting/staff/start_setup.html",
                "context": {"org_slug": organisation.slug, "has_reports": has_reports},
                "order": 11,
            }
        )
    return sections


def public_integrity_sections(organisation: Any) -> list[dict]:
    """Public section of ``/o/<slug>/integriteit/``: each procedure as diagram and text."""
    from intact.reporting import diagrams, procedures

    items = []
    for proc in procedures.procedure_list_current(organisation=organisation):
        items.append(
            {
                "report_type": proc.report_type,
                "name": proc.name,
                # All text in the SVG is escaped by the generator.
                "svg": mark_safe(diagrams.procedure_svg(proc, id_prefix=f"route-svg-{proc.report_type}")),  # noqa: S308
                "text": diagrams.procedure_text(proc),
            }
        )
    return [
        {
            "title": _("Meldroutes"),
            "template": "reporting/includes/procedures_public.html",
            "context": {"procedures": items},
            "order": 10,
        }
    ]
