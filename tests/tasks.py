"""Running the task engine's worker in tests, as `manage.py db_worker --batch` (or, on the broker
backend, `manage.py rqworker --burst`) would."""
from unittest import mock

from django.core.management import call_command
from django.db import connection


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
        while True:
            relayed = relay_events.call()
            call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0, **options)
            if max_tasks or not relayed and not _undispatched():
                return


def _run_broker_jobs():
    """The broker backend: jobs run in this process (rq's SimpleWorker, burst), on this connection.
    What the code under test left for after commit (broker enqueues) runs first, as at a commit."""
    import django_rq
    from rq.worker import SimpleWorker

    from headless_store.events.tasks import relay_events

    while True:
        _run_on_commit_callbacks()
        relayed = relay_events.call()
        _run_on_commit_callbacks()
        worker = django_rq.get_worker("default", worker_class=SimpleWorker)
        with mock.patch("django.db.close_old_connections", lambda: None):
            worked = worker.work(burst=True, with_scheduler=False)
        if not relayed and not connection.run_on_commit and not _undispatched() and not worked:
            return


def _run_on_commit_callbacks():
    while connection.run_on_commit:
        _sids, callback, _robust = connection.run_on_commit.pop(0)
        callback()


def _undispatched() -> bool:
    from headless_store.events.models import Event

    return Event.objects.filter(dispatched_at__isnull=True).exists()
