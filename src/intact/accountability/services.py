"""Writes of the accountability app: narrative text, settings, report generation jobs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from intact.accountability import documents, selectors
from intact.accountability.models import Chapter, ChapterText, JobStatus, ReportJob, ReportSettings
from intact.organisations.models import Organisation
from intact.security import audit, policy

MIN_THRESHOLD = 3


def chapter_text_save(
    *, user: Any, organisation: Organisation, year: int, chapter: str, text: str
) -> ChapterText:
    """Save a new version of a chapter's narrative (older versions are kept)."""
    if not policy.has_role(user, organisation, *selectors.WRITE_ROLES):
        raise Http404
    if chapter not in Chapter.values:
        raise ValueError(chapter)
    with transaction.atomic():
        last = (
            ChapterText.objects.select_for_update()
            .filter(organisation=organisation, year=year, chapter=chapter)
            .aggregate(m=Max("version"))["m"]
            or 0
        )
        row = ChapterText.objects.create(
            organisation=organisation,
            year=year,
            chapter=chapter,
            version=last + 1,
            text=(text or "").strip(),
            written_by=user if getattr(user, "pk", None) else None,
        )
        audit.record(
            user,
            "accountability.chapter_saved",
            organisation=organisation,
            obj=row,
            detail={"year": year, "chapter": chapter, "version": row.version},
        )
    return row


def settings_save(*, user: Any, organisation: Organisation, **values: Any) -> ReportSettings:
    """Change the report settings (threshold, opt-ins)."""
    if not policy.has_role(user, organisation, *selectors.WRITE_ROLES):
        raise Http404
    allowed = {"threshold", "show_units", "show_dates", "sector_participation"}
    with transaction.atomic():
        s, _created = ReportSettings.objects.get_or_create(organisation=organisation)
        for key, value in values.items():
            if key in allowed:
                setattr(s, key, value)
        # "fewer than 2" would mean "exactly 1": the smallest threshold that hides anything is 3.
        s.threshold = max(int(s.threshold), MIN_THRESHOLD)
        s.save()
        audit.record(
            user,
            "accountability.settings_saved",
            organisation=organisation,
            obj=s,
            detail={k: v for k, v in values.items() if k in allowed},
        )
    return s


def job_create(
    *,
    user: Any,
    organisation: Organisation,
    year: int,
    fmt: str,
    edition: str,
    kind: str = "annual",
) -> ReportJob:
    """Queue the generation of a report; the task stores the result encrypted."""
    if edition not in selectors.editions_for(user, organisation):
        raise Http404
    if fmt not in documents.FORMATS:
        raise ValueError(fmt)
    with transaction.atomic():
        job = ReportJob.objects.create(
            organisation=organisation,
            year=year,
            kind=kind,
            format=fmt,
            edition=edition,
            requested_by=user,
        )
        audit.record(
            user,
            "accountability.report_requested",
            organisation=organisation,
            obj=job,
            detail={"year": year, "format": fmt, "edition": edition, "kind": kind},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from intact.accountability.tasks import report_generate_task

    report_generate_task.enqueue(job_id)


def _progress(job: ReportJob, value: int, status: str = JobStatus.RUNNING) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=value, status=status)


def job_run(*, job_id: int) -> ReportJob:
    """Generate the report of a queued job and store it encrypted (called by the task)."""
    from intact.security import files

    job = ReportJob.objects.select_related("organisation").get(pk=job_id)
    _progress(job, 10)
    try:
        period_end = None
        if job.kind == "interim":
            import datetime as dt

            period_end = dt.date(job.year, 6, 30)
        rep = selectors.report_build(
            job.organisation,
            job.year,
            edition=job.edition,
            interim=job.kind == "interim",
            period_end=period_end,
        )
        _progress(job, 60)
        data = documents.render(rep, job.format)
        _progress(job, 90)
        with transaction.atomic():
            name = f"{job.kind}-{job.organisation.slug}-{job.year}-{job.edition}.{documents.EXTENSIONS[job.format]}"
            stored = files.file_store(
                job.organisation, name, documents.CONTENT_TYPES[job.format], data
            )
            job.file = stored
            job.status = JobStatus.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save()
    except Exception as exc:  # the page must show the failure instead of spinning
        job.status = JobStatus.FAILED
        job.error = exc.__class__.__name__[:300]
        job.finished_at = timezone.now()
        job.save()
        raise
    return job
