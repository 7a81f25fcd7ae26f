"""Scale-out benchmark (not a test): one app-server group against two, as two hosts would be.

    .venv/bin/pip install -c requirements.lock -e '.[bench]'       # locust
    .venv/bin/python bench/scale.py [--quick | --smoke]

One PostgreSQL (BENCH_DATABASE_URL, default .../headless_store_bench_scale, re-created) and one
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/6, flushed) shared by everything, the
production profile as a many-host shop runs it: Redis cache (throttle counters, APQ, the relay's
window), database sessions, the broker task backend (TASK_BACKEND=rq) with two `rqworker`
processes, and two webhook endpoints (receivers in this process, checking every signature)
subscribed to every event. Two gunicorn masters (two "hosts", WEB_CONCURRENCY workers each) on two
ports, and two locust processes (headless) each driving half the users with the checkout mix of
bench/locustfile.py (add a product, read the basket, payWithAccount):

1. both locusts against host A (one app-server group);
2. one locust against each host (two groups), the same users, at the same time;
3. then waits for the workers to deliver everything, and reports: checkouts/s one group vs two,
   with the CPU count and the CPU each tier spent per checkout (app servers, PostgreSQL's backends
   for this database, rq workers, the load generators), so what one PostgreSQL primary sustains
   (checkouts/s per core of its own); every event delivered to every endpoint (duplicates counted,
   with the same webhook-id); and `ledger_reconcile` clean.

Exit status 1 when a request failed, an event is missing, no checkout completed, or the ledger does
not reconcile; never on timings (CI runs --smoke).
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
import resource  # noqa: E402
import secrets  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from decimal import Decimal as D  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

import psutil  # noqa: E402  (locust's dependency: the bench extra)

from bench import common, http  # noqa: E402

ROOT = HERE.parent
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/headless_store_bench_scale")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
ENDPOINTS = ("/hooks/a", "/hooks/b")
RECEIVED = collections.Counter()  # (endpoint path, webhook-id) -> deliveries
BAD_SIGNATURES = collections.Counter()
SECRETS: dict[str, str] = {}
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint: checks the Standard Webhooks signature, counts each (endpoint, id)."""

    def do_POST(self):  # noqa: N802 - http.server's name
        from standardwebhooks.webhooks import Webhook

        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        try:
            Webhook(SECRETS[self.path]).verify(body, dict(self.headers))
        except Exception:  # noqa: BLE001 - any refusal is a bad delivery
            BAD_SIGNATURES[self.path] += 1
        RECEIVED[self.path, self.headers["webhook-id"]] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def shared_env() -> dict:
    """The settings that make a second host possible: everything shared lives in PostgreSQL or Redis."""
    return {"DATABASE_URL": BENCH_URL, "CACHE_URL": REDIS_URL, "TASK_BACKEND": "rq", "TASK_BROKER_URL": REDIS_URL,
            "EVENTS_RELAY_DELAY_SECONDS": "1", "SECRET_KEY": secrets.token_urlsafe(50),
            "ACCOUNTS_CODE_HASH_KEY": secrets.token_urlsafe(50),
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "STORE_SANDBOX_ALLOWED": "true", "LOG_LEVEL": "WARNING"}


def build_shoppers(count: int):
    """`count` shoppers, each with a device token and one well-funded wallet; a product."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model
    from oscar.test.factories import create_product

    from accounts_graphql.ids import global_id
    from headless_store.devicetokens import issue_token
    from headless_store.ledger import core, facade
    from headless_store.ledger.services.accounts import get_or_create_wallet

    Country = get_model("address", "Country")
    Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    product = create_product(title="Bench kettle", price=D("10.00"), num_in_stock=10_000_000)
    bank = core.bank_account("GBP")
    tokens, wallets = [], {}
    for n in range(count):
        user = get_user_model().objects.create_user(f"shopper{n}", f"shopper{n}@example.com", secrets.token_hex(8))
        wallet = get_or_create_wallet(user=user, currency="GBP")
        facade.transfer(bank, wallet, D("1000000.00"))
        token = issue_token(user)[1]
        tokens.append(token)
        wallets[token] = global_id("Account", wallet.pk)
    return tokens, wallets, f"/api/products/{product.pk}/"


class CPU:
    """CPU seconds spent by each tier between two readings, process by process: a process that
    appeared in between counts whole, one that ended in between is left out (a lower bound)."""

    def __init__(self, servers, workers, database: str):
        self.servers, self.workers, self.database = servers, workers, database

    @staticmethod
    def _seconds(process, children: bool) -> float:
        t = process.cpu_times()
        return t.user + t.system + ((t.children_user + t.children_system) if children else 0.0)

    def _trees(self, pids) -> dict:
        found = {}
        for pid in pids:
            try:
                root = psutil.Process(pid)
                for process in [root, *root.children(recursive=True)]:
                    # rq's work horses are forked per job and reaped by their worker: its children's times
                    found[process.pid] = self._seconds(process, children=True)
            except psutil.NoSuchProcess:
                pass
        return found

    def _postgres(self) -> dict:
        """PostgreSQL's backends serving this database (`postgres: ... <db> 127.0.0.1(...)`)."""
        found = {}
        for process in psutil.process_iter(["cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or ())
            if cmdline.startswith("postgres:") and f" {self.database} " in cmdline:
                try:
                    found[process.pid] = self._seconds(process, children=False)
                except psutil.NoSuchProcess:
                    pass
        return found

    def read(self) -> dict:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the locust runs that finished
        machine = psutil.cpu_times()
        return {"app": self._trees(s.pid for s, _host in self.servers), "postgres": self._postgres(),
                "workers": self._trees(w.pid for w in self.workers), "load": {0: children.ru_utime + children.ru_stime},
                "machine": {0: machine.user + machine.nice + machine.system + machine.irq + machine.softirq}}

    @staticmethod
    def spent(before: dict, after: dict) -> dict:
        return {tier: sum(seconds - before[tier].get(pid, 0.0) for pid, seconds in after[tier].items())
                for tier in after}


def commits(database: str) -> int:
    import psycopg

    with psycopg.connect(BENCH_URL, autocommit=True) as conn:
        return conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [database]).fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI)")
    args = parser.parse_args()
    seconds, users, warmup = (3, 2, 2) if args.smoke else (10, 8, 4) if args.quick else (30, 16, 8)
    web_workers = int(os.environ.get("BENCH_WEB_CONCURRENCY", "2"))
    database = BENCH_URL.rsplit("/", 1)[1]
    load_before = os.getloadavg()
    os.environ.update(shared_env())
    http.BENCH_URL = BENCH_URL
    log("database")
    common.recreate_database(BENCH_URL)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    common.setup_django(BENCH_URL, migrate=True)
    log(f"{users} shoppers")
    tokens, wallets, product_path = build_shoppers(users)
    receiver = ThreadingHTTPServer(("127.0.0.1", http.free_port()), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    from headless_store.events.models import Event, WebhookEndpoint

    for path in ENDPOINTS:
        SECRETS[path] = WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{receiver.server_address[1]}{path}").secret
    from django.db import connections

    connections.close_all()
    log("two rq workers, two gunicorn masters")
    # as `make serve` does: the maintenance chain (sweeps, the relay's safety net)
    subprocess.run([sys.executable, "manage.py", "schedule_tasks"], cwd=ROOT, check=True, env=os.environ.copy(),
                   stdout=subprocess.DEVNULL)
    workers = [subprocess.Popen([sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"],
                                cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(2)]
    servers = []
    results, cpu_used, commits_per_s, elapsed_of = {}, {}, {}, {}
    try:
        # the API only (no pages, no static files): nothing to collect
        servers = [http.serve(web_workers, tempfile.mkdtemp(), CACHE_URL=REDIS_URL, STATIC_HASHED="false")
                   for _ in range(2)]
        cpu = CPU(servers, workers, database)
        halves = [tokens[0::2], tokens[1::2]]

        def drive(targets: list[str], run_seconds: int) -> list[dict]:
            def one(host, share):
                extra = {"BENCH_TOKENS": ",".join(share), "BENCH_WALLETS": json.dumps(wallets),
                         "BENCH_PRODUCT_URL": host + product_path}
                return http.load(host, "checkout", len(share), run_seconds, extra)

            with ThreadPoolExecutor(2) as pool:
                return list(pool.map(one, targets, halves))

        hosts = [host for _server, host in servers]
        log(f"warm-up: {warmup} s on both hosts")
        drive(hosts, warmup)
        for groups, targets in ((1, [hosts[0], hosts[0]]), (2, hosts)):
            log(f"{groups} app-server group(s): {seconds} s, {users} users")
            before, committed = cpu.read(), commits(database)
            started = time.monotonic()
            results[groups] = drive(targets, seconds)
            elapsed = time.monotonic() - started
            cpu_used[groups] = CPU.spent(before, cpu.read())
            commits_per_s[groups] = (commits(database) - committed) / elapsed
            elapsed_of[groups] = elapsed
        log("waiting for every event to reach both endpoints")
        deadline = time.monotonic() + (120 if args.smoke else 600)
        expected, drained = set(), None
        while time.monotonic() < deadline:
            expected = {event.webhook_id for event in Event.objects.all()}
            if expected and all((path, webhook_id) in RECEIVED for path in ENDPOINTS for webhook_id in expected):
                drained = time.monotonic()
                break
            time.sleep(1)
    finally:
        for server, _host in servers:
            server.terminate()
        for process in [*(s for s, _h in servers), *workers]:
            process.terminate()
            process.wait(timeout=60)
        receiver.shutdown()
    log("ledger_reconcile")
    reconcile = subprocess.run([sys.executable, "manage.py", "ledger_reconcile"], cwd=ROOT, env=os.environ.copy(),
                               capture_output=True, text=True)
    load_after = os.getloadavg()

    missing = {path: len(expected - {i for p, i in RECEIVED if p == path}) for path in ENDPOINTS}
    duplicates = sum(count - 1 for count in RECEIVED.values() if count > 1)
    cores = os.cpu_count()
    print(f"machine: {cores} cores, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"(1 min); one PostgreSQL, one Redis, 2 rq workers, 2 gunicorn masters x {web_workers} workers, "
          f"2 locust processes, {users} users, {seconds} s per run, all on this machine")
    checkouts = {}
    for groups in (1, 2):
        rps = sum(r["rps"] for r in results[groups])
        done = sum(r["count"] for r in results[groups])
        failures = sum(r["failures"] for r in results[groups])
        checkouts[groups] = (rps, done, failures)
        used = cpu_used[groups]
        per = {tier: 1000 * used[tier] / max(done, 1) for tier in used}
        ours = sum(used[tier] for tier in ("app", "postgres", "workers", "load")) / elapsed_of[groups]
        machine = used["machine"] / elapsed_of[groups]
        print(f"{groups} app-server group(s): {rps:.1f} checkouts/s ({done} checkouts, failures {failures}); "
              f"PostgreSQL {commits_per_s[groups]:.0f} commits/s; CPU per checkout: app {per['app']:.0f} ms, "
              f"PostgreSQL {per['postgres']:.0f} ms, rq workers {per['workers']:.0f} ms, locust {per['load']:.0f} ms "
              f"(this run kept {ours:.2f} of {cores} cores busy; the whole machine {machine:.2f})")
    ratio = checkouts[2][0] / max(checkouts[1][0], 1e-9)
    print(f"two groups / one = {ratio:.2f} (bounded by {cores} cores shared by every tier above)")
    pg_ms = 1000 * (cpu_used[1]["postgres"] + cpu_used[2]["postgres"]) / max(checkouts[1][1] + checkouts[2][1], 1)
    sustains = f"about {1000 / pg_ms:.0f} checkouts/s per core it has to itself" if pg_ms else "not measured (no CPU seen)"
    print(f"one PostgreSQL primary: {pg_ms:.1f} ms of its CPU per checkout, so {sustains} "
          f"({commits_per_s[2]:.0f} commits/s measured here)")
    events_line = (f"events: {len(expected)}, endpoints {len(ENDPOINTS)}, missing {sum(missing.values())}, "
                   f"duplicates {duplicates} (same webhook-id), bad signatures {sum(BAD_SIGNATURES.values())}")
    if drained is not None:
        events_line += f"; all delivered {drained - started - elapsed:.0f} s after the last run"
    print(events_line)
    print(f"ledger_reconcile: exit {reconcile.returncode}: {' '.join(reconcile.stdout.strip().splitlines()[-1:])}")
    log("done")
    broken = (any(checkouts[g][2] for g in (1, 2)) or not all(checkouts[g][1] for g in (1, 2))
              or any(missing.values()) or BAD_SIGNATURES or reconcile.returncode != 0)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
