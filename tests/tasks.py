"""Running the task engine's worker in tests, as `manage.py db_worker --batch` (or, on the broker
backend, `manage.py rqworker --burst`) would."""
from unittest import mock

from django.core.management import call_command
from django.db import connection

#: run_tasks() gives up after this many rounds (relay, then the worker) or broker jobs: a task that
#: never settles (retried for ever) fails the test instead of hanging the run.
MAX_ROUNDS = 50
MAX_JOBS = 500


class TasksNeverSettled(AssertionError):
    pass


def run_tasks(max_tasks=None):
    """Run every task that is due, then return (tasks a task enqueues for now run too).

    The outbox wakes its relay after commit; a test's transaction never commits, so the relay runs
    here first, as the maintenance sweep would, and again after the worker while the tasks wrote
    events. The worker closes stale connections between tasks, as a long-running process should;
    inside a test's transaction that would close the test's own connection, so that housekeeping is
    off here."""
    from headless_store.events import durable
    from headless_store.events.tasks import relay_events

    if not durable.uses_database_backend():
        return _run_broker_jobs()
    options = {"max_tasks": max_tasks} if max_tasks else {}
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        for _round in range(MAX_ROUNDS):
            relayed = relay_events.call()
            call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0, **options)
            if max_tasks or not relayed and not _undispatched():
                return
    raise TasksNeverSettled(f"tasks still due after {MAX_ROUNDS} rounds")


def _run_broker_jobs():
    """The broker backend: jobs run in this process (rq's SimpleWorker, burst), on this connection.
    What the code under test left for after commit (broker enqueues) runs first, as at a commit."""
    import django_rq

    from headless_store.events.tasks import relay_events

    jobs = 0
    for _round in range(MAX_ROUNDS):
        _run_on_commit_callbacks()
        relayed = relay_events.call()
        _run_on_commit_callbacks()
        worker = django_rq.get_worker("default", worker_class=_counting_worker_class())
        with mock.patch("django.db.close_old_connections", lambda: None):
            worked = worker.work(burst=True, with_scheduler=False, max_jobs=MAX_JOBS - jobs)
        jobs += worker.executed
        if jobs >= MAX_JOBS:
            break
        if not relayed and not connection.run_on_commit and not _undispatched() and not worked:
            return
    raise TasksNeverSettled(f"broker jobs still due after {jobs} jobs in {_round + 1} rounds")


def _counting_worker_class():
    from rq.worker import SimpleWorker

    class CountingWorker(SimpleWorker):
        executed = 0

        def execute_job(self, job, queue):
            self.executed += 1
            return super().execute_job(job, queue)

    return CountingWorker


def _run_on_commit_callbacks():
    while connection.run_on_commit:
        _sids, callback, _robust = connection.run_on_commit.pop(0)
        callback()


def _undispatched() -> bool:
    from headless_store.events.models import Event

    return Event.objects.filter(dispatched_at__isnull=True).exists()


# --- one task's state, on either backend ------------------------------------------------------

def task_state(name: str) -> tuple:
    """(status, waits, failures, last_error) of the one task named `name` (`accrue_points`): a
    database backend row and its retry bookkeeping, or a broker job and its meta."""
    from django_tasks_rq.backend import RQ_STATUS_TO_RESULT_STATUS

    from headless_store.events import durable

    if durable.uses_database_backend():
        from django_tasks_db.models import DBTaskResult

        from headless_store.events.models import TaskRetry

        row = DBTaskResult.objects.get(task_path__endswith=f".{name}")
        retry = TaskRetry.objects.filter(task_id=row.pk).first()
        return (row.status, *((retry.waits, retry.failures, retry.last_error) if retry else (0, 0, "")))
    (job,) = _broker_jobs(name)
    return (RQ_STATUS_TO_RESULT_STATUS[job.get_status()].value, job.meta.get("waits", 0), job.meta.get("failures", 0),
            job.meta.get("last_error", ""))


def make_due(name: str) -> None:
    """The tasks named `name` that wait (backoff, a wait) are due now."""
    from django.utils import timezone

    from headless_store.events import durable

    if durable.uses_database_backend():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(task_path__endswith=f".{name}", status="READY").update(run_after=timezone.now())
        return
    for job in _broker_jobs(name):
        queue = _broker_queue()
        if job.id in queue.scheduled_job_registry.get_job_ids(cleanup=False):
            queue.scheduled_job_registry.remove(job)
            queue.enqueue_job(job)


def lose(name: str) -> None:
    """The queued tasks named `name` are lost (a row deleted; a job gone with the broker's data),
    after what the code under test left for after commit has run, as at a commit."""
    from headless_store.events import durable

    if durable.uses_database_backend():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(task_path__endswith=f".{name}").delete()
        return
    _run_on_commit_callbacks()
    for job in _broker_jobs(name):
        job.delete()


def _broker_queue():
    import django_rq

    from headless_store.events.broker import Job

    return django_rq.get_queue("default", job_class=Job)


def _broker_jobs(name: str) -> list:
    """Every job of the task named `name`: queued, scheduled, running, finished or failed."""
    from headless_store.events.broker import Job

    queue = _broker_queue()
    ids = set(queue.get_job_ids())
    for registry in (queue.scheduled_job_registry, queue.started_job_registry, queue.finished_job_registry,
                     queue.failed_job_registry):
        ids.update(registry.get_job_ids(cleanup=False))
    return [job for job in Job.fetch_many(sorted(ids), connection=queue.connection)
            if job is not None and job.func_name.endswith(f".{name}")]
