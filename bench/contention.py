"""Checkout contention benchmark (not a test): do concurrent checkouts queue on a ledger row?

    .venv/bin/python bench/contention.py [--quick]

On a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/headless_store_bench_contention), N threads check out at once,
each its own customer with its own wallet and basket of the same products, first with
`payWithAccount` and then with django-oscar-api's own `POST /api/checkout/` (which takes no
payment) as the baseline. A sampler reads pg_stat_activity every few milliseconds and counts the
sessions waiting on a lock (on a ledger row, and on any row). Prints, for each: the average number
of sessions waiting (target for payWithAccount: <= 0.3 on ledger locks at 4 concurrent checkouts) and the throughput scaling of 4
threads against 1 (target: within 10% of django-oscar-api's own scaling).
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from decimal import Decimal as D  # noqa: E402

from bench import common  # noqa: E402

BENCH_URL = os.environ.get("BENCH_DATABASE_URL",
                           "postgres://postgres@127.0.0.1:5432/headless_store_bench_contention")
PAY = """mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) { order { number } errors { code message } } }"""
ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "line1": "1 Row", "line4": "London",
           "postcode": "N1 9GU", "country": "GB"}


def shoppers(n):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from headless_store.ledger import core, facade
    from headless_store.ledger.services.accounts import get_or_create_wallet

    result = []
    for i in range(n):
        user = get_user_model().objects.create_user(f"c{i}-{time.time_ns()}", f"c{i}@example.com", "pw-12345678")
        wallet = get_or_create_wallet(user=user, currency="GBP")
        facade.transfer(core.bank_account("GBP"), wallet, D("1000000.00"))
        client = Client()
        client.force_login(user)
        result.append((user, wallet, client))
    return result


def checkout(kind, user, wallet, client, products, country):
    from oscar.apps.partner.strategy import Default
    from oscar.core.loading import get_model

    from accounts_graphql.ids import global_id

    Basket = get_model("basket", "Basket")
    Basket.objects.filter(owner=user, status="Open").update(status="Frozen")
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    for product in products:
        basket.add_product(product, 1)
    start = time.perf_counter()
    if kind == "payWithAccount":
        variables = {"input": {"basketId": str(basket.pk), "shippingAddress": ADDRESS,
                               "payments": [{"accountId": global_id("Account", wallet.pk)}]}}
        body = client.post("/graphql/", data=json.dumps({"query": PAY, "variables": variables}),
                           content_type="application/json").json()
        assert body["data"]["payWithAccount"]["errors"] == [], body
    else:
        address = {"first_name": "Ada", "last_name": "Lovelace", "line1": "1 Row", "line4": "London",
                   "postcode": "N1 9GU", "country": f"http://testserver/api/countries/{country.pk}/"}
        data = {"basket": f"http://testserver/api/baskets/{basket.pk}/", "shipping_address": address}
        response = client.post("/api/checkout/", data=json.dumps(data), content_type="application/json")
        assert response.status_code == 200, response.content
    return time.perf_counter() - start


def run(kind, threads, per_thread, products, country):
    """(checkouts per second, average sessions waiting on a lock) for `threads` at once."""
    import psycopg
    from django.db import connection

    people = shoppers(threads)
    stop, samples, ledger_samples, waits = threading.Event(), [], [], {}
    name = connection.settings_dict["NAME"]

    def sample():
        with psycopg.connect(BENCH_URL, autocommit=True) as conn:
            while not stop.is_set():
                rows = conn.execute(
                    "SELECT left(query, 60) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    [name],
                ).fetchall()
                samples.append(len(rows))
                ledger_samples.append(sum("ledger_" in query for (query,) in rows))
                for (query,) in rows:
                    waits[query] = waits.get(query, 0) + 1
                time.sleep(0.003)

    def work(person):
        try:
            for _ in range(per_thread):
                checkout(kind, *person, products, country)
        finally:
            connection.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    workers = [threading.Thread(target=work, args=(person,)) for person in people]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if os.environ.get("BENCH_SHOW_WAITS"):
        print(kind, threads, sorted(waits.items(), key=lambda kv: -kv[1])[:4])
    average = lambda values: sum(values) / max(len(values), 1)  # noqa: E731
    return threads * per_thread / elapsed, average(ledger_samples), average(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI), no targets")
    args = parser.parse_args()
    per_thread = 1 if args.smoke else 8 if args.quick else 30
    common.recreate_database(BENCH_URL)
    common.setup_django(BENCH_URL, migrate=True)
    from django.conf import settings
    from oscar.core.loading import get_model
    from oscar.test.factories import create_product

    settings.ALLOWED_HOSTS = ["testserver"]
    Country = get_model("address", "Country")
    country, _ = Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom",
                                                                             "is_shipping_country": True})
    products = [create_product(title=f"Product {i}", price=D("10.00") + i, num_in_stock=10_000_000) for i in range(3)]
    results = {}
    for kind in ("payWithAccount", "oscarapi"):
        for threads in (1, 4):
            results[kind, threads] = run(kind, threads, per_thread, products, country)
    for kind, label in (("payWithAccount", "payWithAccount"), ("oscarapi", "django-oscar-api POST /api/checkout/")):
        one, four = results[kind, 1], results[kind, 4]
        print(f"{label}: 1 thread {one[0]:.1f}/s, 4 threads {four[0]:.1f}/s -> scaling {four[0] / one[0]:.2f};"
              f" sessions waiting at 4: on a ledger lock {four[1]:.2f}, on any lock {four[2]:.2f}")
    ours = results["payWithAccount", 4][0] / results["payWithAccount", 1][0]
    theirs = results["oscarapi", 4][0] / results["oscarapi", 1][0]
    print(f"scaling, payWithAccount / django-oscar-api: {ours / theirs:.2f} (target >= 0.9);"
          f" ledger lock waits at 4 (target <= 0.3): {results['payWithAccount', 4][1]:.2f}")


if __name__ == "__main__":
    main()
