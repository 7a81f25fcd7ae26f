"""Balance-at-a-moment benchmark (not a test): facade.balance(account, at=...) against the
current balance (facade.balance(account): the account row), on an account with 200,000 legs.

    .venv/bin/python bench/balance_at.py [--quick | --smoke]

Uses a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/headless_store_bench_balance), dropped and re-created each run.
The legs are spread over 200,000 seconds, with as many legs of the Bank interleaved. Prints the
time per call of each, their ratio (target <= 1.2), and for scale a SUM over the legs up to the
moment (what "no scan of the whole history" avoids). Each figure is the best of several
alternating rounds (the machine is shared and noisy).
"""
import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/headless_store_bench_balance"
)


def load(legs):
    from django.db import connection
    from django.utils import timezone

    from headless_store.ledger import core, facade, lots, names
    from headless_store.ledger.services.accounts import account_type, create_account

    account = create_account(name="long history", account_type=account_type(names.STORE_CREDIT), currency="GBP")
    bank = core.bank_account("GBP")
    start = timezone.now() - timedelta(seconds=legs + 10)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_transfer (reference, source_id, destination_id, amount, currency,"
            " username, date_created) SELECT upper(md5(random()::text || g)), %s, %s, 1, 'GBP', '',"
            " %s + g * interval '1 second' FROM generate_series(1, %s) g",
            [bank.pk, account.pk, start, legs],
        )
        cur.execute(
            "INSERT INTO ledger_transaction (transfer_id, account_id, amount, balance_after, date_created)"
            " SELECT t.id, t.destination_id, 1, row_number() OVER (ORDER BY t.id), t.date_created"
            " FROM ledger_transfer t WHERE t.destination_id = %s",
            [account.pk],
        )
        cur.execute(
            "INSERT INTO ledger_transaction (transfer_id, account_id, amount, balance_after, date_created)"
            " SELECT t.id, t.source_id, -1, -row_number() OVER (ORDER BY t.id), t.date_created"
            " FROM ledger_transfer t WHERE t.destination_id = %s",
            [account.pk],
        )
        cur.execute("UPDATE ledger_account SET balance = balance + %s WHERE id = %s", [legs, account.pk])
        cur.execute("UPDATE ledger_account SET balance = balance - %s WHERE id = %s", [legs, bank.pk])
    lots.carry_balances([account.pk])
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    facade.transfer(bank, account, D("1"))  # and one posted the ordinary way
    return account, start


def timed(call, moments, n):
    begin = time.perf_counter()
    for i in range(n):
        call(moments[i % len(moments)])
    return (time.perf_counter() - begin) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 legs, fewer rounds")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI), no targets")
    args = parser.parse_args()
    legs, n, rounds = (500, 40, 1) if args.smoke else (20_000, 300, 2) if args.quick else (200_000, 2000, 5)
    common.recreate_database(BENCH_URL)
    common.setup_django(BENCH_URL, migrate=True)
    from django.db import connection
    from django.db.models import Sum

    from headless_store.ledger import facade
    from headless_store.ledger.models import Account, Transaction

    account, start = load(legs)
    account = Account.objects.get(pk=account.pk)
    rng = random.Random(7)
    moments = [start + timedelta(seconds=rng.randint(0, legs)) for _ in range(500)]
    for at in moments[:50]:  # exact: the sum of the legs up to the moment
        total = Transaction.objects.filter(account=account, date_created__lte=at).aggregate(t=Sum("amount"))["t"]
        assert facade.balance(account, at=at) == (total or 0), at
    now_times, at_times, sum_times = [], [], []
    for _ in range(rounds):
        # batches of 20 calls of each, alternating; the best batch of each counts (the machine is
        # shared: noise only ever adds time, and falls on both alike)
        for batch in range(0, n, 20):
            now_times.append(timed(lambda _at: facade.balance(account), moments[batch % 480:], 20))
            at_times.append(timed(lambda at: facade.balance(account, at=at), moments[batch % 480:], 20))
        sum_times.append(timed(lambda at: Transaction.objects.filter(account=account, date_created__lte=at)
                               .aggregate(t=Sum("amount")), moments, max(n // 100, 5)))
    now_, at_, sum_ = min(now_times), min(at_times), min(sum_times)
    legs_now = Transaction.objects.filter(account=account).count()
    print(f"PostgreSQL {connection.pg_version}, {legs_now:,} legs on the account")
    print(f"balance now (the account row):       {now_ * 1e6:8.1f} us")
    print(f"balance(at=...) (last leg's balance): {at_ * 1e6:8.1f} us")
    print(f"SUM over the legs up to the moment:   {sum_ * 1e6:8.1f} us")
    print(f"ratio balance(at) / balance now: {at_ / now_:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
