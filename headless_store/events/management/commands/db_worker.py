"""`manage.py db_worker`: django-tasks-db's worker, made to survive faults (it replaces that app's command).

- Database errors (a dropped connection, a restarted server) no longer end the process: it drops its
  connections, waits (1 s doubling to 30 s) and carries on.
- A failed task is retried, waits or is given up by its policy (headless_store/events/durable.py)
  instead of being marked FAILED at once.
- A heartbeat thread shows the worker alive, so tasks it was running when killed are found and run
  again (durable.recover_abandoned_tasks, in the maintenance chain).
Supervise it anyway (deploy/headless-store-worker.service restarts it if it dies)."""
import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands import db_worker as upstream

from headless_store.events.durable import Heartbeat, settle_failure

logger = logging.getLogger("django_tasks_db")


class DurableWorker(upstream.Worker):
    def run(self) -> None:
        heartbeat = None if self.batch else Heartbeat(self.worker_id)
        self.heartbeat = heartbeat
        if heartbeat:
            heartbeat.start()
        delay = 1.0
        try:
            while True:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as error:
                    if not self.running:
                        return None
                    logger.warning("Worker %s lost the database (%s); reconnecting in %.0f s",
                                   self.worker_id, type(error).__name__, delay)
                    connections.close_all()
                    time.sleep(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            if heartbeat:
                heartbeat.stop()

    def run_task(self, db_task_result) -> None:
        """django-tasks-db's run_task, with the failure settled by the task's retry policy."""
        if self.heartbeat:
            self.heartbeat.task_id = db_task_result.pk
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception as error:  # noqa: BLE001 - every failure is settled by the task's policy
            settle_failure(db_task_result, error)
        finally:
            self.running_task = False
            self._run_tasks += 1
            if self.heartbeat:
                self.heartbeat.task_id = None


class Command(upstream.Command):
    help = "Run background tasks (database backend), retrying failures and surviving database errors"

    def handle(self, *args, **options):
        upstream.Worker, original = DurableWorker, upstream.Worker
        try:
            return super().handle(*args, **options)
        finally:
            upstream.Worker = original
