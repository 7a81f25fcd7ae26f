"""Every task is retried with backoff until done or given up visibly (headless_store/events/durable.py)."""
import logging
from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from headless_store.events import durable
from headless_store.events.models import Event, TaskRetry, WorkerHeartbeat
from headless_store.events.tasks import dispatch_event
from tests.tasks import run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.database_backend]
MISSING = "00000000-0000-0000-0000-00000000abcd"


def given_up_count(task: str) -> float:
    return durable.GIVEN_UP.labels(task)._value.get()


def test_a_failing_task_runs_again_on_its_row_after_a_backoff(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    dispatch_event.enqueue(MISSING)
    before = timezone.now()
    run_tasks()
    row = DBTaskResult.objects.get()
    assert (row.status, row.retry.failures, row.retry.last_error) == ("READY", 1, "DoesNotExist")
    assert before + timedelta(seconds=30) <= row.run_after <= timezone.now() + timedelta(seconds=30)
    Event.objects.create(pk=MISSING, type="transfer.posted", data={})  # the cause goes away
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())  # its time comes
    run_tasks()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and DBTaskResult.objects.count() == 1  # the same row, no copies


def test_the_last_failure_gives_up_visibly(settings, caplog, django_capture_on_commit_callbacks):
    settings.TASK_MAX_ATTEMPTS, settings.TASK_RETRY_BASE_SECONDS = 3, 0
    counted = given_up_count("dispatch_event")
    dispatch_event.enqueue(MISSING)
    with caplog.at_level(logging.ERROR, logger="headless_store.events.durable"), \
            django_capture_on_commit_callbacks(execute=True):  # reported once the give-up commits
        run_tasks()
    row = DBTaskResult.objects.get()
    assert (row.status, row.retry.failures) == ("FAILED", 3) and row.retry.given_up_at
    assert given_up_count("dispatch_event") == counted + 1
    assert [r.levelname for r in caplog.records if "given up" in r.getMessage()] == ["ERROR"]
    assert list(durable.given_up_tasks()) == [row]
    assert durable.retry_task(row.pk) and not durable.retry_task(row.pk)  # once: it is READY again
    assert TaskRetry.objects.get(pk=row.pk).failures == 0


def test_a_task_left_running_by_a_dead_worker_runs_again_but_not_one_a_live_worker_runs(settings):
    settings.TASK_ABANDONED_SECONDS = 60
    Event.objects.create(pk=MISSING, type="transfer.posted", data={})
    long_ago = timezone.now() - timedelta(minutes=5)
    dead, alive = (dispatch_event.enqueue(MISSING).db_result for _ in range(2))
    DBTaskResult.objects.filter(pk__in=[dead.pk, alive.pk]).update(status="RUNNING", started_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="killed", seen_at=long_ago, task_id=dead.pk)
    WorkerHeartbeat.objects.create(worker_id="busy", seen_at=timezone.now(), task_id=alive.pk)
    assert durable.recover_abandoned_tasks() == 1
    assert DBTaskResult.objects.get(pk=dead.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=alive.pk).status == "RUNNING"
    assert TaskRetry.objects.get(pk=dead.pk).last_error == "worker lost"
    run_tasks()
    assert DBTaskResult.objects.get(pk=dead.pk).status == "SUCCESSFUL"


def test_a_retry_of_something_not_given_up_changes_nothing():
    assert durable.retry_task(uuid4()) is False


@pytest.mark.parametrize("failures, seconds", [(1, 10), (2, 20), (5, 160), (20, 3600)])
def test_task_backoff_doubles_and_is_capped(failures, seconds):
    assert durable.DEFAULT_POLICY.backoff(failures) == timedelta(seconds=seconds)


def test_giving_up_other_work_is_an_event_but_a_delivery_is_not(settings):
    """Points for an order that does not exist: given up, and said so through the outbox (so a
    webhook can page someone); a failing dispatch is not (its event could fail the same way)."""
    from headless_store.loyalty.tasks import accrue_points

    settings.TASK_MAX_ATTEMPTS, settings.TASK_RETRY_BASE_SECONDS = 1, 0
    points = accrue_points.enqueue(987654).db_result
    dispatch = dispatch_event.enqueue(MISSING).db_result
    run_tasks()
    assert DBTaskResult.objects.get(pk=points.pk).status == DBTaskResult.objects.get(pk=dispatch.pk).status == "FAILED"
    (event,) = Event.objects.filter(type="task.given_up")  # the points' only: none for the dispatch
    assert event.data["task"] == "accrue_points" and event.data["failures"] == 1
