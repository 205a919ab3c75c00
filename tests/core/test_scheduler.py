import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from intact.core import schedule
from intact.core.models import ScheduledRun
from tests.core import tasks_for_tests

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def job():
    tasks_for_tests.CALLS.clear()
    registered = schedule.register_job(
        "tests.record", tasks_for_tests.record_call, every=dt.timedelta(hours=24), kwargs={"label": "daily"}
    )
    yield registered
    schedule.unregister_job("tests.record")


def test_due_computation():
    job = schedule.Job("x", tasks_for_tests.record_call, dt.timedelta(hours=1))
    assert schedule.is_due(job, None, T0)
    assert not schedule.is_due(job, T0, T0 + dt.timedelta(minutes=59))
    assert schedule.is_due(job, T0, T0 + dt.timedelta(hours=1))
    assert schedule.next_due(job, T0, T0) == T0 + dt.timedelta(hours=1)


def test_register_refuses_plain_functions_and_tiny_intervals():
    with pytest.raises(TypeError):
        schedule.register_job("bad", lambda: None, every=dt.timedelta(hours=1))
    with pytest.raises(ValueError):
        schedule.register_job("fast", tasks_for_tests.record_call, every=dt.timedelta(seconds=5))


def test_core_jobs_are_discovered(db):
    names = [job.name for job in schedule.jobs()]
    assert "core.task_results_prune" in names


def test_enqueues_once_per_interval_and_survives_restart(db, job):
    # ImmediateBackend in tests: enqueue runs the task at once.
    assert "tests.record" in schedule.run_due(T0)
    assert "tests.record" not in schedule.run_due(T0 + dt.timedelta(hours=1))
    # A "restart" forgets everything in memory; the database remembers the last run.
    schedule._discovered = False
    assert "tests.record" not in schedule.run_due(T0 + dt.timedelta(hours=23, minutes=59))
    assert "tests.record" in schedule.run_due(T0 + dt.timedelta(hours=24))
    assert tasks_for_tests.CALLS == ["daily", "daily"]
    run = ScheduledRun.objects.get(name="tests.record")
    assert run.last_enqueued_at == T0 + dt.timedelta(hours=24)


def test_a_stale_claim_does_not_enqueue_twice(db, job):
    """Two schedulers read the same state; only the first UPDATE wins."""
    schedule.run_due(T0)
    ScheduledRun.objects.filter(name="tests.record").update(last_enqueued_at=T0 - dt.timedelta(days=2))
    real_get = ScheduledRun.objects.get

    # Simulate the other process: it claims between our read and our update.
    def racing_get(*args, **kwargs):
        row = real_get(*args, **kwargs)
        ScheduledRun.objects.filter(pk=row.pk).update(last_enqueued_at=T0)
        return row

    tasks_for_tests.CALLS.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ScheduledRun.objects, "get", racing_get)
        assert "tests.record" not in schedule.run_due(T0 + dt.timedelta(hours=1))
    assert tasks_for_tests.CALLS == []


def test_a_failing_job_does_not_stop_the_others(db, job):
    class Broken:
        def enqueue(self, **kwargs):
            raise RuntimeError("queue down")

    schedule.register_job("tests.broken", Broken(), every=dt.timedelta(hours=1))
    try:
        names = schedule.run_due(T0)
    finally:
        schedule.unregister_job("tests.broken")
    assert "tests.record" in names and "tests.broken" not in names
    assert ScheduledRun.objects.get(name="tests.broken").last_enqueued_at is None


@pytest.mark.django_db(transaction=True)
def test_scheduled_job_is_run_by_the_database_worker(job):
    with override_settings(TASKS=DB_TASKS):
        from django_tasks_db.models import DBTaskResult

        assert "tests.record" in schedule.run_due(timezone.now())
        assert tasks_for_tests.CALLS == []  # only enqueued: the worker runs it
        result = DBTaskResult.objects.get(task_path="tests.core.tasks_for_tests.record_call")
        assert result.status == "READY"
        call_command("db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", result.exception_class_path
        assert result.return_value == "daily"
        assert ScheduledRun.objects.filter(name="ran:daily").exists()


@pytest.mark.django_db(transaction=True)
def test_scheduler_command_once(job):
    with override_settings(TASKS=DB_TASKS):
        from django_tasks_db.models import DBTaskResult

        call_command("scheduler", once=True, verbosity=0)
        call_command("scheduler", once=True, verbosity=0)
        assert DBTaskResult.objects.filter(task_path="tests.core.tasks_for_tests.record_call").count() == 1
