"""Background work that survives faults: one retry policy for every task (django-tasks 0.12 has none).

Declare a task with `@durable_task(...)` instead of `@task()`; the worker (`manage.py db_worker`, this
app's, which also reconnects after database errors) applies its policy to the task's own row:

- a failure runs the task again on the same row, after exponential backoff, up to `max_attempts`;
- an exception in `waits_for` (an account frozen by staff...) waits TASK_WAIT_SECONDS and tries again,
  without counting and without end: the work resumes once the state clears;
- an exception in `permanent`, or the last failure, gives the work up *visibly*: the row is FAILED,
  logged at ERROR, counted in `tasks_given_up_total{task}`, listed on the dashboard (Background tasks)
  with a retry button, and the task's `on_give_up` runs;
- a row left RUNNING by a worker that died (SIGKILL, a lost machine) is run again by
  `recover_abandoned_tasks` (the maintenance chain). So every task must be idempotent.
"""
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from prometheus_client import Counter

from .conf import settings

logger = logging.getLogger(__name__)

RETRIED = Counter("tasks_retried_total", "Background task runs that failed and were scheduled again.", ["task"])
WAITING = Counter("tasks_waiting_total", "Background task runs put off until an account state clears.", ["task"])
GIVEN_UP = Counter("tasks_given_up_total", "Background tasks given up (failed for good; see the dashboard).",
                   ["task"])
RECOVERED = Counter("tasks_recovered_total", "Background tasks found abandoned by a dead worker and run again.",
                    ["task"])



def uses_database_backend() -> bool:
    """Whether tasks are rows of the database backend (the default) rather than broker jobs."""
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def backoff(failures: int, *, base: float, cap: float) -> timedelta:
    """The wait after `failures` failures: base * 2^(failures-1), capped."""
    return timedelta(seconds=min(base * 2 ** max(failures - 1, 0), cap))


@dataclass(frozen=True)
class RetryPolicy:
    attempts_setting: str = "TASK_MAX_ATTEMPTS"
    backoff_settings: tuple[str, str] = ("TASK_RETRY_BASE_SECONDS", "TASK_RETRY_MAX_SECONDS")
    permanent: tuple[type[BaseException], ...] = ()
    waits_for: tuple[type[BaseException], ...] = ()
    on_give_up: Callable | None = None

    @property
    def max_attempts(self) -> int:
        return max(int(getattr(settings, self.attempts_setting, settings.TASK_MAX_ATTEMPTS)), 1)

    def backoff(self, failures: int) -> timedelta:
        base_name, cap_name = self.backoff_settings
        return backoff(failures, base=float(getattr(settings, base_name)), cap=float(getattr(settings, cap_name)))


#: task path (as django-tasks-db stores it) -> its policy; tasks declared with plain @task() get the default.
POLICIES: dict[str, RetryPolicy] = {}
DEFAULT_POLICY = RetryPolicy()


def durable_task(*, permanent=(), waits_for=(), on_give_up=None, attempts_setting="TASK_MAX_ATTEMPTS",
                 backoff_settings=("TASK_RETRY_BASE_SECONDS", "TASK_RETRY_MAX_SECONDS"), **task_options):
    """`@task()` with a retry policy (see the module's docstring)."""
    policy = RetryPolicy(attempts_setting=attempts_setting, backoff_settings=tuple(backoff_settings),
                         permanent=tuple(permanent), waits_for=tuple(waits_for), on_give_up=on_give_up)

    def declare(function):
        declared = task(**task_options)(function)
        POLICIES[declared.module_path] = policy
        return declared

    return declare


def policy_for(task_path: str) -> RetryPolicy:
    if task_path not in POLICIES:
        try:
            import_string(task_path)  # declares its policy
        except ImportError:
            pass
    return POLICIES.get(task_path, DEFAULT_POLICY)


#: Tasks that deliver events: their giving up is in the delivery log, never an event of its own.
DELIVERY_TASKS = ("relay_events", "dispatch_event", "deliver_webhook")


def task_label(task_path: str) -> str:
    return task_path.rsplit(".", 1)[-1]


def error_category(error: BaseException) -> str:
    """What staff see of a failure: the error's own category when it names one, else its class."""
    return getattr(error, "category", None) or type(error).__name__


# --- settling a run's failure -----------------------------------------------------------------

def settle_failure(row, error: BaseException, *, now: datetime | None = None) -> str:
    """Retry, wait or give up the task of `row` (a DBTaskResult that just raised `error`); which.
    A database error may have killed the connection: it is replaced first (never inside a caller's
    transaction, as in tests)."""
    from django_tasks_db.models import DBTaskResult

    from .models import TaskRetry

    if isinstance(error, DatabaseError) and not connection.in_atomic_block:
        close_old_connections()
    policy, now = policy_for(row.task_path), now or timezone.now()
    label, category = task_label(row.task_path), error_category(error)
    with transaction.atomic():
        # The task's row first, then its bookkeeping: the worker and the recovery sweep settle in one order.
        if DBTaskResult.objects.select_for_update().filter(pk=row.pk).values_list("status", flat=True).first() \
                != "RUNNING":
            return "settled already"
        retry, _new = TaskRetry.objects.select_for_update().get_or_create(task_id=row.pk)
        retry.last_error = category[:200]
        if isinstance(error, policy.waits_for):
            retry.waits += 1
            outcome, run_after = "waiting", now + timedelta(seconds=settings.TASK_WAIT_SECONDS)
        else:
            retry.failures += 1
            gives_up = isinstance(error, policy.permanent) or retry.failures >= policy.max_attempts
            # A lost worker's task runs again at once: its failure was the worker's, not the task's.
            wait = timedelta(0) if isinstance(error, WorkerLost) else policy.backoff(retry.failures)
            outcome, run_after = ("given up", None) if gives_up else ("retrying", now + wait)
        _record_run(row, error, status="FAILED" if run_after is None else "READY", run_after=run_after, now=now)
        if run_after is None:
            retry.given_up_at = now
            if label not in DELIVERY_TASKS:  # an event about a delivery could fail the same way, for ever
                from .outbox import record

                record("task.given_up", {"task": label, "task_id": str(row.pk), "failures": retry.failures,
                                         "error": category})
            if policy.on_give_up:
                args = row.args_kwargs or {}
                policy.on_give_up(*args.get("args", []), **args.get("kwargs", {}))
        retry.save()
        transaction.on_commit(lambda: _report(outcome, label, row.pk, retry, category, policy.max_attempts))
    return outcome


def _record_run(row, error, *, status: str, run_after, now) -> None:
    from traceback import format_exception

    from django_tasks_db.models import DBTaskResult

    changes = {"status": status, "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
               "traceback": "".join(format_exception(error))[-20000:]}
    changes.update({"run_after": run_after} if run_after else {"finished_at": now})
    DBTaskResult.objects.filter(pk=row.pk).update(**changes)


def _report(outcome: str, label: str, task_id, retry, category: str, max_attempts: int) -> None:
    if outcome == "given up":
        GIVEN_UP.labels(label).inc()
        logger.error("Task %s %s given up after %d failures (%s); retry it from the dashboard",
                     label, task_id, retry.failures, category)
    elif outcome == "waiting":
        WAITING.labels(label).inc()
        logger.info("Task %s %s waits (%s)", label, task_id, category)
    else:
        RETRIED.labels(label).inc()
        logger.warning("Task %s %s failed (%s); attempt %d of %d follows", label, task_id, category,
                       retry.failures + 1, max_attempts)


# --- staff: failed work, and trying it again --------------------------------------------------

def given_up_tasks():
    """Tasks given up (FAILED), newest first, with their retry bookkeeping."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="FAILED").select_related("retry").order_by("-finished_at")


def retry_task(task_id) -> bool:
    """Run a given-up task again, with a fresh count of attempts; False if it is not given up."""
    from django_tasks_db.models import DBTaskResult

    from .models import TaskRetry

    with transaction.atomic():
        if not DBTaskResult.objects.filter(pk=task_id, status="FAILED").update(
                status="READY", run_after=timezone.now(), finished_at=None):
            return False
        TaskRetry.objects.filter(task_id=task_id).update(failures=0, given_up_at=None)
    logger.info("Task %s retried by staff", task_id)
    return True


# --- workers: heartbeats, and work they left behind --------------------------------------------

class Heartbeat:
    """A worker's sign of life: a row it refreshes every TASK_HEARTBEAT_SECONDS from a thread (so a
    long task does not look dead), naming the task it runs. A worker killed stops refreshing it."""

    def __init__(self, worker_id: str):
        self.worker_id, self.task_id = worker_id, None
        self._stop = threading.Event()
        self._thread = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._beat, name="task-worker-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _beat(self) -> None:
        from .models import WorkerHeartbeat

        try:
            while not self._stop.is_set():
                try:
                    WorkerHeartbeat.objects.update_or_create(worker_id=self.worker_id, defaults={
                        "seen_at": timezone.now(), "task_id": self.task_id, "pid": os.getpid(),
                        "hostname": socket.gethostname()[:100]})
                except DatabaseError:  # the database is away: beat again later, on a new connection
                    close_old_connections()
                self._stop.wait(settings.TASK_HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            pass
        finally:
            connection.close()


def recover_abandoned_tasks(*, at: datetime | None = None) -> int:
    """Run again the tasks left RUNNING by a worker that is gone (no heartbeat for TASK_ABANDONED_SECONDS)
    or that no longer runs them (it lost its connection while recording the outcome); how many.
    Each counts as a failure, so work that kills its worker every time is given up in the end.
    On the broker backend, rq's registry cleanup does this (broker.recover_abandoned)."""
    if not uses_database_backend():
        from .broker import recover_abandoned

        return recover_abandoned(at=at)
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerHeartbeat

    at = at or timezone.now()
    limit = at - timedelta(seconds=settings.TASK_ABANDONED_SECONDS)
    WorkerHeartbeat.objects.filter(seen_at__lt=at - timedelta(days=1)).delete()  # workers long gone
    alive = WorkerHeartbeat.objects.filter(seen_at__gt=limit)
    abandoned = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=limit).exclude(
        Exists(alive.filter(task_id=OuterRef("pk"))))
    count = 0
    for row in abandoned:
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                Q(pk=row.pk), Q(status="RUNNING")).first()
            if locked is None:
                continue
            settle_failure(locked, WorkerLost())
        RECOVERED.labels(task_label(row.task_path)).inc()
        count += 1
    return count


class WorkerLost(Exception):
    category = "worker lost"
