"""HTTP benchmark (not a test): the production server under load, 1 worker against 2.

    .venv/bin/pip install -e '.[bench]'       # locust
    .venv/bin/python bench/http.py [--quick]

Builds a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/headless_store_bench_http), then for WEB_CONCURRENCY=1 and 2
starts gunicorn with the production settings (DEBUG off, hashed static files, Redis if
BENCH_CACHE_URL is set) and drives it with locust, headless, over real HTTP on 127.0.0.1:

- `myAccounts` (20 accounts x 5 entries each, token auth), and
- a checkout mix (add a product through django-oscar-api, read the basket, `payWithAccount`).

Prints requests/s, p50 and p99 per scenario and worker count, and the 2-vs-1 throughput ratio
(goal: at least 1.8 on 2 cores). The load generator runs on the same machine and takes CPU from
the server: compare ratios from one run, not absolute figures across machines.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from decimal import Decimal as D  # noqa: E402

from bench import common  # noqa: E402
from bench.common import free_port  # noqa: E402  (bench/scale.py reads it here)

ROOT = HERE.parent
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/headless_store_bench_http")
VENV_BIN = Path(sys.executable).parent


def build_data(shoppers: int):
    from django.contrib.auth import get_user_model
    from oscar.test.factories import create_product

    from accounts_graphql.ids import global_id
    from headless_store.devicetokens import issue_token
    from headless_store.ledger import core, facade, names
    from headless_store.ledger.services.accounts import account_type, create_account

    Country = __import__("oscar.core.loading", fromlist=["get_model"]).get_model("address", "Country")
    Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    product = create_product(title="Bench kettle", price=D("10.00"), num_in_stock=10_000_000)
    bank, redemptions = core.bank_account("GBP"), core.redemptions_account("GBP")
    tokens, wallets = [], {}
    for n in range(shoppers):
        user = get_user_model().objects.create_user(f"shopper{n}", f"shopper{n}@example.com", secrets.token_hex(8))
        for i in range(20):
            account = create_account(name=f"Wallet {n}-{i}", account_type=account_type(names.STORE_CREDIT),
                                     currency="GBP", primary_user=user)
            facade.transfer(bank, account, D("1000000.00"))
            for _ in range(4):
                facade.transfer(account, redemptions, D("1.25"), description="Payment")
        token = issue_token(user)[1]
        tokens.append(token)
        wallets[token] = global_id("Account", account.pk)  # the last: pays every checkout
    return tokens, wallets, f"http://127.0.0.1/api/products/{product.pk}/"




def serve(workers: int, static_root: str, **overrides):
    """gunicorn with `workers` workers on a free port, the production settings (and `overrides`)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": BENCH_URL, "DEBUG": "false", "STATIC_HASHED": "true",
           "STATIC_ROOT": static_root, "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": str(workers),
           "BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "", "LOG_LEVEL": "WARNING",
           "STORE_SANDBOX_ALLOWED": "true",  # staging: the sandbox card processor, no real money
           "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "locmemcache://"), **overrides}
    errors = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "headless_store.wsgi"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 180  # a loaded machine takes its time to import Django
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live/", timeout=1)
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn did not start: {Path(errors.name).read_text()[-3000:]}")


def load(host: str, scenario: str, users: int, seconds: int, env_extra: dict) -> dict:
    """locust, headless, for `seconds`; failed requests are counted (not an error of the run). The
    figures are locust's final ones (its JSON report: the CSV it writes as it goes misses the end)."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
             "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host, "--json-file", f"{tmp}/run",
             "--loglevel", "WARNING", "--exit-code-on-error", "0",
             "--stop-timeout", "60"],  # at the end each user finishes the checkout it is in
            cwd=ROOT, env={**os.environ, **env_extra, "SCENARIO": scenario},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        if run.returncode != 0:
            raise RuntimeError(f"locust exited {run.returncode}: {run.stderr[-3000:]}")
        entries = {entry["name"]: entry for entry in json.loads(Path(f"{tmp}/run.json").read_text())}
    name = "myAccounts" if scenario == "accounts" else "payWithAccount"
    every = list(entries.values())
    failures = sum(entry["num_failures"] for entry in every)
    if not every:
        return {"rps": 0.0, "count": 0, "all_rps": 0.0, "p50": 0.0, "p99": 0.0, "failures": 0}
    span = max(e["last_request_timestamp"] for e in every) - min(e["start_time"] for e in every)
    entry = entries.get(name)
    count = entry["num_requests"] - entry["num_failures"] if entry else 0
    return {"rps": count / span if span else 0.0, "count": count,
            "all_rps": sum(e["num_requests"] for e in every) / span if span else 0.0,
            "p50": _percentile(entry, 0.5), "p99": _percentile(entry, 0.99), "failures": failures}


def _percentile(entry: dict | None, fraction: float) -> float:
    """From locust's histogram of response times (ms, rounded as locust rounds them)."""
    if not entry or not entry["response_times"]:
        return 0.0
    times = sorted((float(ms), n) for ms, n in entry["response_times"].items())
    wanted, seen = fraction * sum(n for _ms, n in times), 0
    for ms, n in times:
        seen += n
        if seen >= wanted:
            return ms
    return times[-1][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI), no targets")
    args = parser.parse_args()
    seconds, users = (2, 2) if args.smoke else (8, 8) if args.quick else (30, 16)
    common.recreate_database(BENCH_URL)
    common.setup_django(BENCH_URL, migrate=True)
    tokens, wallets, product_url = build_data(users)
    static_root = tempfile.mkdtemp()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "STATIC_HASHED": "true", "STATIC_ROOT": static_root, "DATABASE_URL": BENCH_URL})
    from django.db import connections

    connections.close_all()
    results = {}
    for workers in (1, 2):
        server, host = serve(workers, static_root)
        try:
            extra = {"BENCH_TOKENS": ",".join(tokens), "BENCH_WALLETS": json.dumps(wallets),
                     "BENCH_PRODUCT_URL": product_url.replace("http://127.0.0.1", host)}
            for scenario in ("accounts", "checkout"):
                results[scenario, workers] = load(host, scenario, users, seconds, extra)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"machine: {os.cpu_count()} cores; locust {users} users, {seconds} s per run, on the same machine")
    for scenario, label in (("accounts", "myAccounts"), ("checkout", "checkout mix (payWithAccount)")):
        for workers in (1, 2):
            r = results[scenario, workers]
            print(f"{label}, {workers} worker(s): {r['rps']:.1f} req/s (all requests {r['all_rps']:.1f}/s), "
                  f"p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, failures {r['failures']}")
        ratio = results[scenario, 2]["rps"] / max(results[scenario, 1]["rps"], 1e-9)  # a smoke run may complete none
        print(f"{label}: 2 workers / 1 worker = {ratio:.2f} (goal >= 1.8)")


if __name__ == "__main__":
    main()
