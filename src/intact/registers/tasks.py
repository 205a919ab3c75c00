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
