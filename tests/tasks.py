"""Running the task engine's worker in tests, as `manage.py db_worker --batch` would."""
from unittest import mock

from django.core.management import call_command


def run_tasks(max_tasks=None):
    """Run every task that is due, then return (tasks a task enqueues for now run too).

    The outbox wakes its relay after commit; a test's transaction never commits, so the relay runs
    here first, as the maintenance sweep would, and again after the worker while the tasks wrote
    events. The worker closes stale connections between tasks, as a long-running process should;
    inside a test's transaction that would close the test's own connection, so that housekeeping is
    off here."""
    from headless_store.events.tasks import relay_events

    options = {"max_tasks": max_tasks} if max_tasks else {}
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        while True:
            relayed = relay_events.call()
            call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0, **options)
            if max_tasks or not relayed and not _undispatched():
                return


def _undispatched() -> bool:
    from headless_store.events.models import Event

    return Event.objects.filter(dispatched_at__isnull=True).exists()
