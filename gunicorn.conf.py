"""gunicorn settings for production (`make serve`): every value from the environment.

WEB_CONCURRENCY worker processes (default: 2 per core + 1) with GUNICORN_THREADS threads each
(default 1: the ledger's work is database-bound and each thread holds a connection), bound to
BIND (default 127.0.0.1:8000, behind a reverse proxy that terminates TLS).
"""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))  # recycle workers, bound memory drift
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
# The request id travels in X-Request-ID (set by RequestIdMiddleware on every response).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# --- Prometheus across processes --------------------------------------------------------------
# Each worker process counts on its own; prometheus_client's multiprocess mode has every process
# write its metrics to files in PROMETHEUS_MULTIPROC_DIR, and /metrics adds them all up. Set it in
# the environment of the web and task workers alike (deploy/production.env) so the db_worker's
# counters (webhooks, points, expired holds) are exported too; both must run on one host. Unset,
# gunicorn uses a private directory: the web workers add up, the task workers are left out. It
# must be chosen before prometheus_client is imported, hence here, before the workers start.
_PRIVATE_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _PRIVATE_METRICS_DIR:
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="headless-store-metrics-")
METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server):
    """Start from the metrics of live processes only (a running task worker's stay): what dead
    processes of an earlier run left would otherwise be added up forever."""
    os.makedirs(METRICS_DIR, exist_ok=True)
    for name in os.listdir(METRICS_DIR):
        pid = name.rsplit(".", 1)[0].rsplit("_", 1)[-1]
        if name.endswith(".db") and pid.isdigit() and not _pid_alive(int(pid)):
            os.remove(os.path.join(METRICS_DIR, name))


def child_exit(server, worker):
    """A worker exited (recycled or crashed): its live gauges go; its counters keep counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, METRICS_DIR)


def on_exit(server):
    """A private directory goes with the server; a configured one stays (task workers write there)."""
    if _PRIVATE_METRICS_DIR:
        import shutil

        shutil.rmtree(METRICS_DIR, ignore_errors=True)
