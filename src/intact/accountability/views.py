"""Staff pages of the accountability app under ``/app/<org>/verantwoording/``.

Thin: the organisation comes from the access policy (404 for whoever may not
see it), the selectors build, the services write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intact.accountability import documents, forms, incident, sector, selectors, services
from intact.accountability.models import Chapter, JobStatus
from intact.core.access import for_roles
from intact.organisations.models import Organisation
from intact.security import audit, files, policy

READ = tuple(selectors.READ_ROLES)
WRITE = tuple(selectors.WRITE_ROLES)


def _org(request: HttpRequest, slug: str, roles: tuple) -> Organisation:
    return policy.organisation_for(request.user, slug, roles)


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise Http404
    return year


def _render(
    request: HttpRequest, template: str, organisation: Organisation, context: dict
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "may_write": policy.has_role(request.user, organisation, *WRITE),
        "is_sector": selectors.settings_for(organisation).is_sector_body,
        **context,
    }
    return render(request, f"accountability/{template}", context)


@for_roles(*READ)
@login_required
@require_http_methods(["GET", "POST"])
def report_index(request: HttpRequest, org: str) -> HttpResponse:
    """Choose year, edition and format; queue the generation; list my earlier jobs."""
    organisation = _org(request, org, READ)
    editions = selectors.editions_for(request.user, organisation)
    form = forms.GenerateForm(
        request.POST or None, editions=editions, initial={"year": dt.date.today().year - 1}
    )
    if request.method == "POST" and form.is_valid():
        job = services.job_create(
            user=request.user,
            organisation=organisation,
            year=form.cleaned_data["year"],
            fmt=form.cleaned_data["format"],
            edition=form.cleaned_data["edition"],
            kind=form.cleaned_data["kind"],
        )
        return redirect("accountability:job_detail", org=organisation.slug, pk=job.pk)
    return _render(
        request,
        "index.html",
        organisation,
        {
            "form": form,
            "jobs": selectors.job_list(user=request.user, organisation=organisation),
            "last_year": dt.date.today().year - 1,
            "chapters": Chapter.choices,
        },
    )


@for_roles(*READ)
@login_required
def report_preview(request: HttpRequest, org: str, year: int) -> HttpResponse:
    """The report as HTML; the coordinator also sees the suppression log (never published)."""
    organisation = _org(request, org, READ)
    year = _year(year)
    edition = request.GET.get("editie", "public")
    interim = request.GET.get("soort") == "interim"
    rep = selectors.report_for(
        request.user,
        organisation,
        year,
        edition=edition if edition in ("public", "internal") else "public",
        interim=interim,
        period_end=dt.date(year, 6, 30) if interim else None,
    )
    audit.record(
        request.user,
        "accountability.report_viewed",
        organisation=organisation,
        object_type="accountability.report",
        detail={"year": year, "edition": rep.edition, "interim": interim},
    )
    show_log = policy.has_role(request.user, organisation, *selectors.INTERNAL_ROLES)
    return _render(
        request,
        "preview.html",
        organisation,
        {
            "report": rep,
            "body": documents.body_html(rep),
            "year": year,
            "log": rep.suppression_log if show_log else None,
            "editions": selectors.editions_for(request.user, organisation),
        },
    )


@for_roles(*WRITE)
@login_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request: HttpRequest, org: str, year: int, chapter: str) -> HttpResponse:
    """Write the narrative of one chapter; every save is a new version."""
    organisation = _org(request, org, WRITE)
    year = _year(year)
    if chapter not in Chapter.values:
        raise Http404
    history = selectors.chapter_history(organisation, year, chapter)
    form = forms.ChapterForm(
        request.POST or None, initial={"text": history[0].text if history else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.chapter_text_save(
            user=request.user,
            organisation=organisation,
            year=year,
            chapter=chapter,
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("De tekst is opgeslagen."))
        return redirect(
            "accountability:chapter_edit", org=organisation.slug, year=year, chapter=chapter
        )
    return _render(
        request,
        "chapter.html",
        organisation,
        {"form": form, "year": year, "chapter": Chapter(chapter).label, "history": history},
    )


@for_roles(*READ)
@login_required
def job_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Progress of a generation; refreshes itself (meta refresh) until done."""
    organisation = _org(request, org, READ)
    job = selectors.job_get(user=request.user, organisation=organisation, pk=pk)
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return _render(request, "job.html", organisation, {"job": job, "refresh": running})


@for_roles(*READ)
@login_required
def job_download(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """The generated file (decrypted on the fly)."""
    organisation = _org(request, org, READ)
    job = selectors.job_get(user=request.user, organisation=organisation, pk=pk)
    if job.status != JobStatus.DONE or job.file is None:
        raise Http404
    data = files.file_read(job.file)
    audit.record(
        request.user,
        "accountability.report_downloaded",
        organisation=organisation,
        obj=job,
        detail={"format": job.format, "edition": job.edition},
    )
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{files.file_name(job.file)}"'
    return response


@for_roles(*WRITE)
@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, org: str) -> HttpResponse:
    """Threshold and what the public edition and the sector overview may use."""
    organisation = _org(request, org, WRITE)
    current = selectors.settings_for(organisation)
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.settings_save(user=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("accountability:settings", org=organisation.slug)
    return _render(request, "settings.html", organisation, {"form": form})


@for_roles("auditor")
@login_required
def sector_overview(request: HttpRequest, org: str) -> HttpResponse:
    """The sector overview, for the auditor of an organisation marked as sector body."""
    organisation = _org(request, org, ("auditor",))
    try:
        year = _year(int(request.GET.get("jaar") or dt.date.today().year - 1))
    except ValueError:
        raise Http404 from None
    overview = sector.overview_for(user=request.user, organisation=organisation, year=year)
    return _render(request, "sector.html", organisation, {"overview": overview, "year": year})


@for_roles(*incident.ROLES)
@login_required
def incident_export(request: HttpRequest, org: str, reference: str, fmt: str) -> HttpResponse:
    """A case's incident notification for donors or the ministry (DOCX or PDF)."""
    organisation = _org(request, org, tuple(incident.ROLES))
    if fmt not in ("docx", "pdf"):
        raise Http404
    data, name = incident.notification_export(
        user=request.user, organisation=organisation, reference=reference, fmt=fmt
    )
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__: list[Any] = [
    report_index,
    report_preview,
    chapter_edit,
    job_detail,
    job_download,
    settings_edit,
    sector_overview,
    incident_export,
    require_POST,
]
