"""Background work of the registers (django-tasks): the daily code-of-conduct reminders."""

from __future__ import annotations

from django_tasks import task

from intact.organisations.models import Organisation
from intact.registers import services


def remind_all() -> int:
    """Send due reminders for every active organisation; returns how many were sent."""
    return sum(
        services.code_reminders_send(organisation=organisation)
        for organisation in Organisation.objects.filter(is_active=True)
    )


@task()
def code_reminders_task() -> int:
    """The daily job: reminders to acknowledge the current code of conduct."""
    return remind_all()


def _register_with_scheduler() -> None:
    """Run the reminders daily with the platform's scheduler (``intact registers_remind`` by hand)."""
    import datetime as dt

    from intact.core.schedule import register_job

    register_job("registers.code_reminders", code_reminders_task, every=dt.timedelta(days=1))


_register_with_scheduler()
