"""Background work of the policy app: open inquiry rounds when due, remind until everyone answered."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from intact.organisations.models import Organisation
from intact.policy import services


def inquiry_daily() -> dict[str, int]:
    """For every active organisation: open the round of the period when due, send due reminders."""
    opened = reminded = 0
    for organisation in Organisation.objects.filter(is_active=True):
        opened += services.inquiry_rounds_schedule(organisation=organisation) is not None
        reminded += services.inquiry_reminders_send(organisation=organisation)
    return {"opened": opened, "reminded": reminded}


@task()
def inquiry_daily_task() -> dict[str, int]:
    """The daily job of the periodic inquiry."""
    return inquiry_daily()


def _register_with_scheduler() -> None:
    from intact.core.schedule import register_job

    register_job("policy.inquiry_daily", inquiry_daily_task, every=dt.timedelta(days=1))


_register_with_scheduler()
