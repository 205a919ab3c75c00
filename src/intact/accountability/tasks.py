"""Background generation of reports (django_tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def report_generate_task(job_id: int) -> int:
    """Generate one queued report job; returns the job id."""
    from intact.accountability import services

    return services.job_run(job_id=job_id).pk
