"""Reads of the accountability app (through the access policy)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from intact.accountability import figures, report
from intact.accountability.models import ChapterText, ReportJob, ReportSettings
from intact.organisations.models import Organisation, Role
from intact.security import policy

# Who may see the report pages: the internal edition is for the coordinator and
# the competent authority; auditors (and the works council through them) read
# aggregated, anonymised figures, so they get the public edition only.
INTERNAL_ROLES = frozenset({Role.COORDINATOR, Role.COMPETENT_AUTHORITY})
READ_ROLES = INTERNAL_ROLES | {Role.AUDITOR}
WRITE_ROLES = frozenset({Role.COORDINATOR})


def settings_for(organisation: Organisation) -> ReportSettings:
    """The organisation's report settings (defaults when none were saved; nothing is written)."""
    try:
        return organisation.report_settings
    except ReportSettings.DoesNotExist:
        return ReportSettings(organisation=organisation)


def narrative_for(organisation: Organisation, year: int) -> dict[str, str]:
    """The newest narrative text per chapter for ``year``."""
    out: dict[str, str] = {}
    for row in ChapterText.objects.filter(organisation=organisation, year=year).order_by(
        "chapter", "-version"
    ):
        out.setdefault(row.chapter, row.text)
    return out


def chapter_history(organisation: Organisation, year: int, chapter: str) -> list[ChapterText]:
    """Every version of one chapter's text, newest first."""
    return list(
        ChapterText.objects.filter(organisation=organisation, year=year, chapter=chapter).order_by(
            "-version"
        )
    )


def editions_for(user: Any, organisation: Organisation) -> tuple[str, ...]:
    """The editions ``user`` may generate."""
    if policy.has_role(user, organisation, *INTERNAL_ROLES):
        return (report.PUBLIC, report.INTERNAL)
    if policy.has_role(user, organisation, Role.AUDITOR):
        return (report.PUBLIC,)
    return ()


def report_build(
    organisation: Organisation,
    year: int,
    *,
    edition: str,
    interim: bool = False,
    period_end: Any = None,
) -> report.Report:
    """Collect the figures and build the report (no user: the caller has checked access)."""
    if edition not in report.EDITIONS:
        raise ValueError(edition)
    s = settings_for(organisation)
    data = figures.collect(organisation, year, period_end=period_end if interim else None)
    return report.build(
        data,
        report.Options(
            edition=edition,
            threshold=s.threshold,
            show_units=s.show_units,
            show_dates=s.show_dates,
            narrative=narrative_for(organisation, year),
            interim=interim,
        ),
    )


def report_for(
    user: Any, organisation: Organisation, year: int, *, edition: str, **kw: Any
) -> report.Report:
    """The report for a user who may see ``edition``; 404 otherwise."""
    if edition not in editions_for(user, organisation):
        raise Http404
    return report_build(organisation, year, edition=edition, **kw)


def job_list(*, user: Any, organisation: Organisation) -> list[ReportJob]:
    """The user's own generation jobs (newest first)."""
    if not editions_for(user, organisation):
        raise Http404
    return list(ReportJob.objects.filter(organisation=organisation, requested_by=user)[:20])


def job_get(*, user: Any, organisation: Organisation, pk: int) -> ReportJob:
    """One of the user's jobs; 404 for anyone else's."""
    try:
        return ReportJob.objects.get(organisation=organisation, requested_by=user, pk=pk)
    except ReportJob.DoesNotExist:
        raise Http404 from None


def start_sections(user: Any, organisation: Organisation) -> list[dict]:
    """Start page: a link to the annual report for those who may generate it."""
    if not policy.has_role(user, organisation, *WRITE_ROLES):
        return []
    return [
        {
            "title": _("Jaarverslag integriteit"),
            "template": "accountability/start_section.html",
            "context": {"organisation": organisation},
            "order": 80,
        }
    ]
