"""The retry policy on the broker backend (headless_store/events/broker.py), as
test_durable_tasks.py proves it on the database backend: a failure runs the same job again after
the backoff, the last one gives it up for good (the job stays failed, nothing runs it again), a
job abandoned by a dead worker runs again and one a live worker runs does not, and the
maintenance chain has one run waiting. Jobs run in this process (tests/tasks.py); the real
workers are in tests/concurrency/test_broker_workers.py. CI's broker step runs these."""
import logging
import time

import django_rq
import pytest
from django.utils import timezone

from headless_store.events import broker, durable
from headless_store.events.models import Event
from headless_store.events.tasks import MAINTENANCE, dispatch_event, schedule_maintenance
from tests.tasks import run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.broker]
MISSING = "00000000-0000-0000-0000-00000000abcd"


def queue():
    return django_rq.get_queue("default", job_class=broker.Job)


def job_of(result) -> broker.Job:
    return broker.Job.fetch(result.id, connection=queue().connection)


def test_a_failing_job_runs_again_after_its_backoff_as_the_same_job(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    result = dispatch_event.enqueue(MISSING)
    run_tasks()
    job = job_of(result)
    assert (job.get_status(), job.meta["failures"], job.meta["last_error"]) == ("scheduled", 1, "DoesNotExist")
    due = queue().scheduled_job_registry.get_scheduled_time(job)
    assert 25 <= (due - timezone.now()).total_seconds() <= 31  # the policy's backoff
    Event.objects.create(pk=MISSING, type="transfer.posted", data={})  # the cause goes away
    queue().scheduled_job_registry.remove(job)
    queue().enqueue_job(job)  # its time comes
    run_tasks()
    assert job_of(result).get_status() == "finished" and job_of(result).meta["failures"] == 1


def test_the_last_failure_gives_the_job_up_for_good(settings, caplog):
    settings.TASK_MAX_ATTEMPTS, settings.TASK_RETRY_BASE_SECONDS = 3, 0
    counted = durable.GIVEN_UP.labels("dispatch_event")._value.get()
    result = dispatch_event.enqueue(MISSING)
    with caplog.at_level(logging.ERROR, logger="headless_store.events.broker"):
        run_tasks()  # before the fix rq's own retries ran it again for ever here
    job = job_of(result)
    assert (job.get_status(), job.meta["failures"], job.meta["given_up"], job.retries_left) == ("failed", 3, True, 0)
    assert job.id in queue().failed_job_registry.get_job_ids()
    assert durable.GIVEN_UP.labels("dispatch_event")._value.get() == counted + 1
    assert [r.levelname for r in caplog.records if "given up" in r.getMessage()] == ["ERROR"]
    run_tasks()
    assert job_of(result).meta["failures"] == 3  # not run again


def test_giving_up_other_work_is_an_event_but_a_delivery_is_not(settings):
    from headless_store.loyalty.tasks import accrue_points

    settings.TASK_MAX_ATTEMPTS, settings.TASK_RETRY_BASE_SECONDS = 1, 0
    points, dispatch = accrue_points.enqueue(987654), dispatch_event.enqueue(MISSING)
    run_tasks()
    assert job_of(points).get_status() == job_of(dispatch).get_status() == "failed"
    (event,) = Event.objects.filter(type="task.given_up")  # the points' only: none for the dispatch
    assert event.data["task"] == "accrue_points" and event.data["failures"] == 1


def test_a_job_whose_worker_stopped_beating_runs_again_but_not_one_a_live_worker_runs():
    Event.objects.create(pk=MISSING, type="transfer.posted", data={})
    dead, alive = (job_of(dispatch_event.enqueue(MISSING)) for _ in range(2))
    registry, now = queue().started_job_registry, time.time()
    for job, beat_until in ((dead, now - 1), (alive, now + 60)):  # as a worker leaves them: started, beating
        queue().remove(job)
        job.set_status("started")
        queue().connection.zadd(registry.key, {f"{job.id}:execution-1": beat_until})
    assert broker.recover_abandoned() == 1
    assert job_of(dead).get_status() == "queued" and job_of(dead).meta["last_error"] == "worker lost"
    assert job_of(alive).get_status() == "started" and registry.get_job_ids(cleanup=False) == [alive.id]
    run_tasks()
    assert job_of(dead).get_status() == "finished"


def test_a_job_that_keeps_losing_its_worker_is_given_up_in_the_end(settings):
    settings.TASK_MAX_ATTEMPTS = 2
    job = job_of(dispatch_event.enqueue(MISSING))
    for _ in range(2):
        broker.lost(job)
    assert (job.meta["failures"], job.meta["given_up"], job.retries_left) == (2, True, 0)


def test_the_maintenance_chain_has_one_run_waiting(settings):
    assert schedule_maintenance() is True
    assert schedule_maintenance() is False  # one is waiting already
    waiting = [j for j in broker.Job.fetch_many(queue().get_job_ids(), connection=queue().connection)
               if j.func_name == MAINTENANCE]
    assert len(waiting) == 1
    run_tasks()  # the run schedules the next one, due after the interval
    (following,) = broker.Job.fetch_many(queue().scheduled_job_registry.get_job_ids(cleanup=False),
                                         connection=queue().connection)
    assert following.func_name == MAINTENANCE and schedule_maintenance() is False
