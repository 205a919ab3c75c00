"""Reads of the reporting app, through the access policy.

Staff reads take the acting user: a report is visible only with an active
``ReportAccess`` for that user and never to someone implicated in it — not
even a coordinator. Everything else answers 404 like a report that does not
exist. Reporter reads take the report the mailbox login returned; none of
them takes or returns a receipt.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from intact.organisations.models import Organisation
from intact.reporting.models import (
    Attachment,
    ImplicatedPerson,
    Message,
    MessageDirection,
    Report,
    ReportAccess,
    ReportEvent,
)
from intact.security import audit, policy


def _visible_reports(user: Any, organisation: Organisation) -> QuerySet[Report]:
    if not policy.may_read_case_content(user, organisation):
        return Report.objects.none()
    access = ReportAccess.objects.filter(report=OuterRef("pk"), user=user, revoked_at__isnull=True)
    implicated = ImplicatedPerson.objects.filter(report=OuterRef("pk"), person__user=user)
    return (
        Report.objects.filter(organisation=organisation)
        .filter(Exists(access))
        .exclude(Exists(implicated))
    )


def report_list_for(*, user: Any, organisation: Organisation) -> QuerySet[Report]:
    """Reports ``user`` may see in ``organisation``: active access, never when implicated.

    Lists show metadata only (reference, type, status, dates); opening one
    goes through :func:`report_get_for`, which is audited.
    """
    return _visible_reports(user, organisation).order_by("-received_at", "-pk")


def report_get_for(*, user: Any, organisation: Organisation, reference: str) -> Report:
    """One report by reference, audited as a view; 404 when it may not be seen or does not exist."""
    report = _visible_reports(user, organisation).filter(reference=reference).first()
    if report is None:
        raise Http404
    audit.record(user, "reporting.report_viewed", organisation=organisation, obj=report)
    return report


def report_may_see(*, user: Any, report: Report) -> bool:
    """True when ``user`` may see ``report`` (same rule as the list)."""
    return _visible_reports(user, report.organisation).filter(pk=report.pk).exists()


def user_is_implicated(*, user: Any, report: Report) -> bool:
    """True when ``user`` is linked to a person the report names as involved."""
    return ImplicatedPerson.objects.filter(report=report, person__user=user).exists()


def report_ids_implicating(*, user: Any, organisation: Any) -> set[int]:
    """Ids of the organisation's reports that name ``user`` (through a person) as involved.

    One query for a whole list, where ``user_is_implicated`` asks per report.
    """
    return set(
        ImplicatedPerson.objects.filter(
            report__organisation=organisation, person__user=user
        ).values_list("report_id", flat=True)
    )


# --- the reporter's own mailbox ------------------------------------------------------------


# Events the reporter is always shown, whatever the writer decided: a reporter
# whose sealed identity was revealed to a handler must be able to know it
# (promised on the reporting page).
ALWAYS_SHOWN_TO_REPORTER = ("identity_reveal_approved",)


def mailbox_timeline(*, report: Report) -> list[ReportEvent]:
    """The timeline entries the reporter may see, oldest first."""
    return list(
        ReportEvent.objects.filter(report=report)
        .filter(Q(visible_to_reporter=True) | Q(kind__in=ALWAYS_SHOWN_TO_REPORTER))
        .order_by("at", "pk")
    )


def mailbox_messages(*, report: Report) -> list[Message]:
    """All messages between reporter and handlers, with their attachments."""
    return list(
        Message.objects.filter(report=report).prefetch_related("attachments").order_by("created_at", "pk")
    )


def mailbox_unread_count(*, report: Report) -> int:
    """Handler messages the reporter has not opened yet."""
    return Message.objects.filter(
        report=report, direction=MessageDirection.TO_REPORTER, read_at__isnull=True
    ).count()


def mailbox_attachment(*, report: Report, attachment_id: int) -> Attachment:
    """One attachment of the reporter's own report; 404 otherwise."""
    item = Attachment.objects.filter(report=report, pk=attachment_id).select_related("file").first()
    if item is None:
        raise Http404
    return item


def report_attachments(*, report: Report) -> list[Attachment]:
    """Files added with the report itself (not with a message)."""
    return list(Attachment.objects.filter(report=report, message__isnull=True).order_by("created_at", "pk"))



def report_counts(*, organisation: Organisation, start: Any, end: Any) -> dict[str, Any]:
    """Counts of reports received from ``start`` to ``end`` (dates, inclusive, local time).

    For the annual report; no user (the caller has checked access) and only
    counts leave: total, by report type (route), by channel, by anonymity.
    One ``GROUP BY`` per figure on the indexed ``received_at`` (a range of
    local midnights, not ``__date``, so the index is used); no row is loaded.
    """
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = Report.objects.filter(
        organisation=organisation, received_at__gte=since, received_at__lt=until
    ).order_by()

    def by(field: str) -> dict[str, int]:
        return {k: n for k, n in rows.values_list(field).annotate(n=Count("id")).order_by(field)}

    return {
        "total": rows.count(),
        "by_route": by("report_type"),
        "by_channel": by("channel"),
        "by_anonymity": by("anonymity"),
    }


# Staff-side reads (start page, public integrity page) live in selectors_staff.
from intact.reporting.selectors_staff import public_integrity_sections, start_sections  # noqa: E402,F401


def implications_of_user(user: Any) -> QuerySet[ImplicatedPerson]:
    """The rows naming ``user`` as implicated in a report (for the cases app's exclusion).

    No access check: the caller uses it only to hide reports from the user
    they name; only ``report_id`` is read from it.
    """
    return ImplicatedPerson.objects.filter(person__user=user)


def report_access_grants(report: Report) -> QuerySet[ReportAccess]:
    """The live (not revoked) access grants of ``report``, with their users.

    No access check: the cases app reads it when opening a case from the
    report, to make everyone with access part of the case team.
    """
    return ReportAccess.objects.filter(report=report, revoked_at__isnull=True).select_related(
        "user"
    )
