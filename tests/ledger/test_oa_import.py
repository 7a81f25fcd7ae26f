"""import_oscar_accounts on a database made by django-oscar-accounts 3.0.1's own migrations, with
realistic rows: a gift card with a plain code, a wallet with a secondary user, a reversed
transfer, an account OA overdrew and one whose stored balance disagrees with its legs."""
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from headless_store.ledger import codes
from headless_store.ledger.models import Account, LegacyImport, Transaction, Transfer
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import UserFactory

from ..concurrency.test_card_checkout_races import _database_url

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def real_oa(tmp_path_factory):
    """django-oscar-accounts 3.0.1 from PyPI, in a folder of its own (this repository's
    `oscar_accounts` is the compatibility layer, so the real one must come first on the path)."""
    target = tmp_path_factory.mktemp("oa")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    "django-oscar-accounts==3.0.1"], check=True, timeout=300)
    return target


@pytest.fixture
def oa_tables(real_oa, chart):
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "tests.oa_settings",
           "PYTHONPATH": os.pathsep.join([str(real_oa), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                             "from django.core.management import call_command; "
                             "call_command('migrate', 'oscar_accounts', verbosity=0)"],
                            cwd=real_oa, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    yield
    with connection.cursor() as cursor:
        for table in ("oscar_accounts_transaction", "oscar_accounts_transfer", "oscar_accounts_account_secondary_users",
                      "oscar_accounts_ipaddressrecord", "oscar_accounts_account", "oscar_accounts_accounttype"):
            cursor.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'oscar_accounts'")


def insert(table, **row):
    columns = ", ".join(row)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(row))}) RETURNING id",
                       list(row.values()))
        return cursor.fetchone()[0]


def oa_ledger():
    """An OA ledger as OA's own code would have left it (rows written with SQL: OA's save()
    crashes on this Django)."""
    now = timezone.now() - timedelta(days=30)
    alice, bob = UserFactory(), UserFactory()
    types = {}
    for path, depth, code, name in [("0001", 1, None, "Assets"), ("00010001", 2, "sales", "Sales"),
                                    ("0002", 1, None, "Liabilities"), ("00020001", 2, "deferred_income", "Deferred income"),
                                    ("000200010001", 3, "giftcards", "Gift cards")]:
        types[name] = insert("oscar_accounts_accounttype", path=path, depth=depth, numchild=0, code=code, name=name)

    def account(name, kind, balance, credit_limit=D("0"), code=None, user=None):
        return insert("oscar_accounts_account", name=name, description="", code=code, status="Open",
                      credit_limit=credit_limit, balance=balance, start_date=None, end_date=None,
                      can_be_used_for_non_products=True, date_created=now, account_type_id=types[kind],
                      primary_user_id=user.pk if user else None, product_range_id=None)

    bank = account("Bank", "Sales", D("-150.00"), credit_limit=None)
    redemptions = account("Redemptions", "Sales", D("70.00"), credit_limit=None)
    card = account("Gift card", "Gift cards", D("30.00"), code="OA-CODE-1234")
    wallet = account("Alice wallet", "Deferred income", D("55.00"), user=alice)  # legs say 50.00
    overdrawn = account("Bob wallet", "Deferred income", D("-30.00"), user=bob)
    insert("oscar_accounts_account_secondary_users", account_id=wallet, user_id=bob.pk)
    legs = []

    def transfer(reference, source, destination, amount, minutes, parent=None):
        pk = insert("oscar_accounts_transfer", reference=reference, amount=amount, merchant_reference="100001",
                    description="", date_created=now + timedelta(minutes=minutes), destination_id=destination,
                    source_id=source, user_id=None, username="", parent_id=parent)
        for account_id, leg in ((source, -amount), (destination, amount)):
            legs.append(insert("oscar_accounts_transaction", amount=leg, date_created=now + timedelta(minutes=minutes),
                               account_id=account_id, transfer_id=pk))
        return pk

    transfer("A" * 32, bank, card, D("50.00"), 1)
    transfer("B" * 32, bank, wallet, D("100.00"), 2)
    payment = transfer("C" * 32, wallet, redemptions, D("60.00"), 3)
    transfer("D" * 32, redemptions, wallet, D("10.00"), 4, parent=payment)  # a partial reversal
    transfer("E" * 32, card, redemptions, D("20.00"), 5)
    transfer("F" * 32, overdrawn, redemptions, D("30.00"), 6)  # OA let two payments race past zero
    return {"card": card, "wallet": wallet, "overdrawn": overdrawn, "alice": alice, "bob": bob}


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_oscar_accounts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_oa_ledger_comes_across_whole(oa_tables):
    oa = oa_ledger()
    before = Account.objects.count(), Transfer.objects.count()
    out, err = run("--dry-run")
    assert "Would import" in out and "6 transfers and 12 legs" in out
    assert "Alice wallet" in err and "legs sum to 50.00" in err and "Bob wallet" in err and "overdrawn" in err
    assert (Account.objects.count(), Transfer.objects.count()) == before and not LegacyImport.objects.exists()

    out, err = run()
    assert "Imported" in out and "Ledger reconciles." in out
    assert ledger_health().ok
    wallet = Account.objects.get(name="Alice wallet")
    assert wallet.balance == D("50.00") and wallet.primary_user == oa["alice"]
    assert list(wallet.secondary_users.all()) == [oa["bob"]]
    assert [leg.balance_after for leg in Transaction.objects.filter(account=wallet).order_by("date_created", "pk")] == [
        D("100.00"), D("40.00"), D("50.00")]
    card = Account.objects.get(name="Gift card")
    assert card.code_hash == codes.code_hash("OA-CODE-1234") and card.code_last4 == codes.last4("OA-CODE-1234")
    assert card.account_type.name == "Gift cards" and card.balance == D("30.00") and card.currency == "GBP"
    reversal = Transfer.objects.get(reference="D" * 32)
    assert reversal.parent.reference == "C" * 32 and reversal.merchant_reference == "100001"
    bob = Account.objects.get(name="Bob wallet")
    assert (bob.balance, bob.credit_limit, bob.status) == (D("-30.00"), D("30.00"), Account.Status.FROZEN)

    out, _err = run()  # a second run adds nothing
    assert "Imported 0 account types, 0 accounts, 0 transfers and 0 legs" in out
    assert Transfer.objects.filter(reference__in=["A" * 32, "F" * 32]).count() == 2 and ledger_health().ok


def test_without_oa_tables_the_command_says_so(chart):
    with pytest.raises(Exception, match="django-oscar-accounts' tables"):
        run()


def test_from_another_database_given_by_url(oa_tables):
    oa_ledger()
    out, err = run("--database-url", _database_url())
    assert "Imported" in out and "Ledger reconciles." in out
    wallet = Account.objects.get(name="Alice wallet")
    assert wallet.balance == D("50.00") and wallet.primary_user is None  # users are the other database's
    assert ledger_health().ok
