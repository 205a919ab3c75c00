"""Tasks used by the scheduler tests (module level, as django-tasks requires)."""

from django_tasks import task

CALLS: list[str] = []


@task()
def record_call(label: str = "x") -> str:
    from intact.core.models import ScheduledRun

    # Touch the database, so the worker really runs against the test database.
    ScheduledRun.objects.get_or_create(name=f"ran:{label}")
    CALLS.append(label)
    return label
