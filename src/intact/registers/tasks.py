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
    """Run the reminders daily when the platform's scheduler exists; else ``intact registers_remind``."""
    import logging

    try:
        from intact.core import schedule  # type: ignore[attr-defined]
    except ImportError:
        return
    register = getattr(schedule, "register_job", None)
    if register is None:
        return
    try:
        register("registers.code_reminders", code_reminders_task)
    except Exception:  # noqa: BLE001 - a scheduler with another signature must not break imports
        logging.getLogger(__name__).warning("could not register registers.code_reminders with the scheduler")


_register_with_scheduler()
