"""The broker backend: the same tasks on RQ over Redis (django-tasks-rq), for shops with many
machines. Chosen in settings (`TASK_BACKEND=rq`, `TASK_BROKER_URL`); no task changes.

The durable policy (durable.py) is applied to every RQ job as the database worker applies it:

- a failure returns rq's `Retry` with the policy's backoff (the job is scheduled again; workers run
  with `--with-scheduler`), a `waits_for` exception waits TASK_WAIT_SECONDS without counting;
- the last failure, or a `permanent` one, gives up visibly: logged at ERROR, counted in
  `tasks_given_up_total`, a `task.given_up` event (not for deliveries), the task's `on_give_up`, and
  the job stays in rq's failed-job registry;
- a job left started by a worker killed outright (SIGKILL, a lost machine) is found once its
  heartbeat lapses (TASK_ABANDONED_SECONDS) by rq's registry cleanup, which every worker runs each
  MAINTENANCE_INTERVAL_SECONDS (this module's Worker) as does the maintenance chain; it counts as a
  failure and runs again: every job is created with retries left for that. A work horse killed
  under a live worker (the OOM killer) counts as a failure the same way, so work that kills its
  process every time is given up in the end.
Failures are counted in the job's meta (`failures`, `waits`).

Workers: `manage.py rqworker default --with-scheduler` (settings.RQ names this module's Worker).
"""
import logging
import math

import django_rq
from django.db import connections
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq.job import Callback, JobStatus, Retry
from rq.worker import Worker as RQWorker

from . import durable
from .conf import settings

logger = logging.getLogger(__name__)

#: rq's own retry count is not the policy's: it only has to be large enough never to stop first.
UNBOUNDED = 10**6


class Job(rq_backend.Job):
    def _execute(self):
        try:
            return super()._execute()
        except Exception as error:  # noqa: BLE001 - every failure is settled by the task's policy
            return settle(self, error)


def settle(job, error: BaseException):
    """Retry (rq's Retry), wait, or give up (re-raise) the job that raised `error`."""
    policy, label = durable.policy_for(job.func_name), durable.task_label(job.func_name)
    category = durable.error_category(error)
    job.meta["last_error"] = category[:200]
    if isinstance(error, policy.waits_for):
        job.meta["waits"] = job.meta.get("waits", 0) + 1
        job.save_meta()
        durable.WAITING.labels(label).inc()
        logger.info("Task %s %s waits (%s)", label, job.id, category)
        return Retry(max=UNBOUNDED, interval=round(settings.TASK_WAIT_SECONDS))
    failures = job.meta["failures"] = job.meta.get("failures", 0) + 1
    if isinstance(error, policy.permanent) or failures >= policy.max_attempts:
        job.meta["given_up"] = True
        job.save_meta()
        job.retries_left = 0  # rq's own retry (kept for abandoned jobs) must not run it again
        give_up(job, label, category, failures)
        raise error
    job.save_meta()
    durable.RETRIED.labels(label).inc()
    logger.warning("Task %s %s failed (%s); attempt %d of %d follows", label, job.id, category, failures + 1,
                   policy.max_attempts)
    return Retry(max=UNBOUNDED, interval=round(policy.backoff(failures).total_seconds()))


def give_up(job, label: str, category: str, failures: int) -> None:
    policy = durable.policy_for(job.func_name)
    durable.GIVEN_UP.labels(label).inc()
    logger.error("Task %s %s given up after %d failures (%s)", label, job.id, failures, category)
    if label not in durable.DELIVERY_TASKS:
        from .outbox import record

        record("task.given_up", {"task": label, "task_id": job.id, "failures": failures, "error": category})
    if policy.on_give_up:
        policy.on_give_up(*job.args, **job.kwargs)


def failed(job, connection, exception_class, exception_value, traceback) -> None:
    """rq's failure callback: a job given up by its policy (settled already), or one abandoned by a
    dead worker (rq's registry cleanup), which counts as a failure and runs again while attempts last."""
    lost(job)
    rq_backend.failed_callback(job, connection, exception_class, exception_value, traceback)


def lost(job) -> None:
    """A run of `job` ended without settling (its worker or work horse was killed): a failure
    ("worker lost"); the last one gives the job up (no retries left)."""
    if job.meta.get("given_up"):
        return
    label = durable.task_label(job.func_name)
    failures = job.meta["failures"] = job.meta.get("failures", 0) + 1
    job.meta["last_error"] = durable.WorkerLost.category
    durable.RECOVERED.labels(label).inc()
    if failures >= durable.policy_for(job.func_name).max_attempts:
        job.meta["given_up"] = True
        job.retries_left = 0
        give_up(job, label, durable.WorkerLost.category, failures)
    job.save_meta()


class Worker(RQWorker):
    """rq's worker on the task settings: it beats every TASK_HEARTBEAT_SECONDS while a job runs, and
    a job whose worker stays silent TASK_ABANDONED_SECONDS is abandoned (rq's own: 60 s past a 30 s
    beat); it cleans the registries (runs abandoned jobs again, takes over the scheduler of a dead
    worker) every MAINTENANCE_INTERVAL_SECONDS, waking from an idle wait for it (rq's own: 10 minutes,
    and up to 7 idle minutes later) and starts the maintenance chain if none is waiting (after a
    deploy, or a Redis that lost its data); a work horse killed under it counts as a failure (`lost`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", max(round(settings.TASK_HEARTBEAT_SECONDS), 1))
        kwargs.setdefault("maintenance_interval", max(round(settings.MAINTENANCE_INTERVAL_SECONDS), 1))
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        return max(1, min(self.worker_ttl - 15, self.maintenance_interval))

    def get_heartbeat_ttl(self, job) -> int:
        return max(math.ceil(settings.TASK_ABANDONED_SECONDS), self.job_monitoring_interval + 1)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        from .tasks import schedule_maintenance

        schedule_maintenance()  # the maintenance chain, should the broker have lost it (a no-op while it runs)

    def fork_work_horse(self, job, queue):
        connections.close_all()  # a horse must not share a connection this process used (`lost` may write)
        super().fork_work_horse(job, queue)

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage):
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        job.meta = job.get_meta(refresh=True)  # as the horse left it
        lost(job)


class RQBackend(rq_backend.RQBackend):
    """django-tasks-rq's backend, with this module's Job (the policy) and retries left for
    abandoned jobs."""

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
                            started_at=None, last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs,
                            backend=self.alias, errors=[], worker_ids=[])
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path, args=args, kwargs=kwargs, job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed), on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias}, retry=Retry(max=UNBOUNDED),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
        return result


def recover_abandoned(*, at=None) -> int:
    """Run rq's cleanup of started-job registries now (workers do it on their own every few
    minutes): jobs whose worker stopped beating (by `at`) are counted as failures and run again."""
    from django.utils import timezone

    at = at or timezone.now()
    count = 0
    for queue in django_rq.queues.get_queues(*django_rq.settings.QUEUES.keys(), job_class=Job):
        registry = queue.started_job_registry
        count += len(registry.get_expired_job_ids(at.timestamp()))
        registry.cleanup(timestamp=at.timestamp())
    return count


def pending_deliveries() -> set:
    """Delivery ids with a deliver_webhook job queued, scheduled or running."""
    from .tasks import DELIVER

    pending = set()
    for queue in django_rq.queues.get_queues(*django_rq.settings.QUEUES.keys(), job_class=Job):
        ids = queue.get_job_ids() + queue.scheduled_job_registry.get_job_ids(cleanup=False) + [
            entry.split(":")[0] for entry in queue.started_job_registry.get_job_ids(cleanup=False)]
        for job in Job.fetch_many(ids, connection=queue.connection):
            if job is not None and job.func_name == DELIVER and job.args:
                pending.add(job.args[0])
    return pending


MAINTENANCE_KEY = "headless_store:maintenance-waiting"


def mark_maintenance_waiting(*, seconds: float | None) -> bool:
    """Note that a maintenance run is waiting (False if one was already), or with None that it no
    longer is (the run has started). The note lapses after `seconds`, should the run be lost."""
    connection = django_rq.get_connection()
    if seconds is None:
        connection.delete(MAINTENANCE_KEY)
        return True
    return bool(connection.set(MAINTENANCE_KEY, "1", nx=True, ex=max(int(seconds), 1)))
