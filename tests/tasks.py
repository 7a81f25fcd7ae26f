"""Running the task engine's worker in tests, as `manage.py db_worker --batch` would."""
from unittest import mock

from django.core.management import call_command


def run_tasks(max_tasks=None):
    """Run every task that is due, then return (tasks a task enqueues for now run too).

    The worker closes stale connections between tasks, as a long-running process should; inside a
    test's transaction that would close the test's own connection, so that housekeeping is off here."""
    options = {"max_tasks": max_tasks} if max_tasks else {}
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0, **options)
