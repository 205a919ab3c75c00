"""Background work of the staff side of reporting: term checks and reminders.

E-mails to staff say only that something is waiting in Intact, never what:
no reference, no report type, no name (issue 3, point 8).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)


def _base_url() -> str:
    return getattr(settings, "INTACT_PUBLIC_BASE_URL", "").rstrip("/")


def staff_waiting_mail(*, user_ids: list[int], organisation_slug: str) -> int:
    """Send each user a content-free notice that something waits. Returns how many were sent."""
    from intact.security.models import User

    sent = 0
    link = _base_url() + reverse("reporting:inbox", kwargs={"org": organisation_slug})
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Er wacht iets op u in Intact")
            body = _(
                "Er wacht iets op u in Intact. Log in om te zien wat: %(link)s\n\n"
                "Dit bericht bevat bewust geen inhoud."
            ) % {"link": link}
        try:
            send_mail(subject, body, None, [user.email], fail_silently=False)
            sent += 1
        except Exception:  # noqa: BLE001 - a mail server hiccup must not lose the work
            logger.warning("staff notice mail failed for user %s", user.pk)
    return sent


@task()
def staff_waiting_mail_task(user_ids: list[int], organisation_slug: str) -> int:
    """The content-free notice, sent by the task worker (see :func:`staff_waiting_mail_on_commit`)."""
    return staff_waiting_mail(user_ids=user_ids, organisation_slug=organisation_slug)


def _tasks_stored_in_database() -> bool:
    """True when background tasks are rows of this database (the production backend)."""
    try:
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db import DatabaseBackend
    except ImportError:  # pragma: no cover - the backend is a dependency
        return False
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def staff_waiting_mail_on_commit(*, user_ids: list[int], organisation: Any) -> None:
    """Send the content-free notice once the current transaction commits.

    With the database task backend (production) the notice is a task stored in
    the same transaction as the work: it exists exactly when the work does,
    survives a crash right after the commit, and the request does not wait
    for the mail server (a slow SMTP server must not hold a reporter's
    receipt page). Otherwise (tests, the immediate backend) it is sent after
    the commit.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return
    slug = organisation.slug
    if _tasks_stored_in_database() and transaction.get_connection().in_atomic_block:
        staff_waiting_mail_task.enqueue(user_ids=ids, organisation_slug=slug)
        return
    transaction.on_commit(lambda: staff_waiting_mail(user_ids=ids, organisation_slug=slug))


def deadlines_check(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Record overdue terms as missed and remind handlers of terms that end soon.

    A term gets one reminder, ``ReportingSettings.reminder_days_before`` days
    (default 2) before its last day, sent to every user with access to the report.
    """
    from intact.reporting import deadlines
    from intact.reporting.models import ReportAccess
    from intact.reporting.models_procedures import ReportingSettings, ReportTerm, TermStatus

    now = now or timezone.now()
    today = deadlines.local_date(now)
    missed = deadlines.terms_close_overdue(today=today)
    reminded = 0
    horizon_by_org: dict[int, int] = dict(
        ReportingSettings.objects.values_list("organisation_id", "reminder_days_before")
    )
    max_days = max([2, *horizon_by_org.values()])
    soon = ReportTerm.objects.filter(
        status=TermStatus.RUNNING,
        reminded_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=max_days),
    ).select_related("report__organisation")
    for term in soon:
        org = term.report.organisation
        days = horizon_by_org.get(org.pk, 2)
        if term.due_date > today + dt.timedelta(days=days):
            continue
        user_ids = list(
            ReportAccess.objects.filter(report=term.report, revoked_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )
        with transaction.atomic():
            term.reminded_at = now
            term.save(update_fields=["reminded_at"])
            staff_waiting_mail_on_commit(user_ids=user_ids, organisation=org)
        reminded += 1
    return {"missed": missed, "reminded": reminded}


@task()
def deadlines_check_task() -> dict[str, int]:
    """The daily deadline job, run by the task worker."""
    return deadlines_check()


def _register_with_scheduler() -> None:
    """Register the job with the core scheduler (hourly: a reminder is sent once per term)."""
    try:
        from intact.core.schedule import register_job
    except ImportError:  # pragma: no cover - run ``intact deadlines_check`` from cron instead
        return
    register_job("reporting.deadlines_check", deadlines_check_task, every=dt.timedelta(hours=1))


_register_with_scheduler()
