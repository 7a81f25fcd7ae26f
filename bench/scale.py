"""Scale-out benchmark (not a test): one app-server group against two, as two hosts would be.

    .venv/bin/pip install -e '.[bench]'       # locust
    .venv/bin/python bench/scale.py [--quick | --smoke]

One PostgreSQL (BENCH_DATABASE_URL, default .../headless_store_bench_scale, re-created) and one
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/6, flushed) shared by everything, the
production profile as a many-host shop runs it: Redis cache (sessions, throttle counters, APQ),
the broker task backend (TASK_BACKEND=rq) with two `rqworker` processes, a webhook endpoint (a
receiver in this process) subscribed to every event. Then:

1. one gunicorn master (WEB_CONCURRENCY workers) driven by locust with the checkout mix of
   bench/locustfile.py (add a product, read the basket, payWithAccount);
2. two gunicorn masters on two ports (two "hosts"), each driven by its own locust with half the
   users, at the same time;
3. waits for the workers to deliver everything, and reports: throughput one group vs two (with the
   CPU count: on one machine the ratio is bounded by its cores, the load generators included),
   every event delivered to the endpoint (duplicates counted, each with its own id), and
   `ledger_reconcile` clean.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

from bench import common, http  # noqa: E402

ROOT = HERE.parent
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/headless_store_bench_scale")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
RECEIVED = collections.Counter()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("content-length", 0)))
        RECEIVED[self.headers["webhook-id"]] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def shared_env() -> dict:
    """The settings that make a second host possible: everything shared lives in PostgreSQL or Redis."""
    return {"DATABASE_URL": BENCH_URL, "CACHE_URL": REDIS_URL, "TASK_BACKEND": "rq", "TASK_BROKER_URL": REDIS_URL,
            "EVENTS_RELAY_DELAY_SECONDS": "1",
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "STORE_SANDBOX_ALLOWED": "true", "LOG_LEVEL": "WARNING"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI)")
    args = parser.parse_args()
    seconds, users = (3, 2) if args.smoke else (8, 8) if args.quick else (30, 16)
    web_workers = int(os.environ.get("BENCH_WEB_CONCURRENCY", "2"))
    os.environ.update(shared_env())
    http.BENCH_URL = BENCH_URL
    common.recreate_database(BENCH_URL)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    common.setup_django(BENCH_URL, migrate=True)
    tokens, wallets, product_url = http.build_data(users)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    from headless_store.events.models import Event, WebhookEndpoint

    WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{receiver.server_address[1]}/hooks")
    static_root = tempfile.mkdtemp()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "STATIC_HASHED": "true", "STATIC_ROOT": static_root})
    from django.db import connections

    connections.close_all()
    workers = [subprocess.Popen([sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"],
                                cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(2)]
    rates = {}
    try:
        for groups in (1, 2):
            servers = [http.serve(web_workers, static_root) for _ in range(groups)]
            try:
                def drive(host, share):
                    extra = {"BENCH_TOKENS": ",".join(share), "BENCH_WALLETS": json.dumps(wallets),
                             "BENCH_PRODUCT_URL": product_url.replace("http://127.0.0.1", host)}
                    return http.load(host, "checkout", len(share), seconds, extra)

                shares = [tokens[i::groups] for i in range(groups)]
                with ThreadPoolExecutor(groups) as pool:
                    results = list(pool.map(drive, [host for _server, host in servers], shares))
                rates[groups] = (sum(r["rps"] for r in results), sum(r["failures"] for r in results))
            finally:
                for server, _host in servers:
                    server.terminate()
                    server.wait(timeout=30)
        deadline = time.monotonic() + (60 if args.smoke else 300)
        expected = set()
        while time.monotonic() < deadline:
            expected = {event.webhook_id for event in Event.objects.all()}
            if expected and expected <= set(RECEIVED):
                break
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        receiver.shutdown()
    reconcile = subprocess.run([sys.executable, "manage.py", "ledger_reconcile"], cwd=ROOT, env=os.environ.copy(),
                               capture_output=True, text=True)
    missing = expected - set(RECEIVED)
    duplicates = sum(count - 1 for count in RECEIVED.values() if count > 1)
    print(f"machine: {os.cpu_count()} cores; one PostgreSQL, one Redis, 2 rq workers, {web_workers} gunicorn workers"
          f" per group, locust {users} users, {seconds} s per run, all on the same machine")
    for groups in (1, 2):
        print(f"{groups} app-server group(s): {rates[groups][0]:.1f} payWithAccount/s, failures {rates[groups][1]}")
    print(f"two groups / one = {rates[2][0] / max(rates[1][0], 1e-9):.2f}")
    print(f"events: {len(expected)}, delivered {len(expected) - len(missing)}, missing {len(missing)},"
          f" duplicates {duplicates} (same webhook-id)")
    print(f"ledger_reconcile: exit {reconcile.returncode}: {reconcile.stdout.strip().splitlines()[-1:]}")
    return 0 if not missing and reconcile.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
