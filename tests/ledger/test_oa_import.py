"""import_oscar_accounts on real django-oscar-accounts 3.0.1 databases.

The main tests import a ledger built by OA's own code (tests/oa_build: OA's migrations,
`oscar_accounts_init`, facade, codes and dashboard forms on Django 4.0 + Oscar 3.2, in a virtualenv
of its own) in its own PostgreSQL database, three ways: that database itself upgraded in place by
this project's `migrate`, OA's tables copied into this database, and read from its own
(--database-url); each compares every balance, transfer, owner and code with what OA's code
reported it made. Rows OA's code cannot make (a stored balance that disagrees
with the legs, an overdraft past the credit limit from a race) are written with SQL into OA's
tables."""
import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from headless_store.ledger import codes
from headless_store.ledger.models import Account, LegacyImport, Transaction, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import redeem_gift_card
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "tests" / "oa_build" / "build.sh"
OA_TABLES = ("oscar_accounts_transaction", "oscar_accounts_transfer", "oscar_accounts_account_secondary_users",
             "oscar_accounts_ipaddressrecord", "oscar_accounts_account", "oscar_accounts_accounttype")
STATUS = {"Open": Account.Status.OPEN, "Frozen": Account.Status.FROZEN, "Closed": Account.Status.CLOSED}


def _server() -> dict:
    db = connection.settings_dict
    return {"host": db["HOST"] or "127.0.0.1", "port": str(db["PORT"] or 5432), "user": db["USER"] or "postgres",
            "password": db["PASSWORD"] or ""}


def _url(name: str) -> str:
    s = _server()
    return f"postgres://{s['user']}{':' + s['password'] if s['password'] else ''}@{s['host']}:{s['port']}/{name}"


def _admin(sql: str):
    s = _server()
    with psycopg.connect(host=s["host"], port=s["port"], user=s["user"], password=s["password"] or None,
                         dbname="postgres", autocommit=True) as admin:
        admin.execute(sql)


def _pg_env() -> dict:
    return {**os.environ, "PGPASSWORD": _server()["password"]}


@pytest.fixture(scope="session")
def oa_build(django_db_setup, tmp_path_factory):
    """A PostgreSQL database of its own with a ledger made by OA's own code, and OA's account of it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    name = f"{connection.settings_dict['NAME']}_oa"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    out = tmp_path_factory.mktemp("oa") / "oa.json"
    result = subprocess.run([str(BUILD), _url(name), str(out)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    yield {"name": name, "url": _url(name), "json": str(out), **json.loads(out.read_text())}
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_oa_tables(oa, *, schema_only: bool):
    """OA's tables (and rows) from the OA database into this one, with pg_dump and psql."""
    s = _server()
    dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", *(["--schema-only"] if schema_only else []),
                           "-t", "oscar_accounts_*", "-h", s["host"], "-p", s["port"], "-U", s["user"], oa["name"]],
                          check=True, capture_output=True, text=True, env=_pg_env(), timeout=120).stdout
    result = subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-h", s["host"], "-p", s["port"], "-U", s["user"],
                             connection.settings_dict["NAME"]], input=dump, capture_output=True, text=True,
                            env=_pg_env(), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def oa_tables(oa_build, chart):
    """OA's empty tables here, as OA's migrations made them."""
    _copy_oa_tables(oa_build, schema_only=True)
    yield
    _drop_oa_tables()


def _drop_oa_tables():
    connection.close()  # psql's writes are seen by a fresh connection
    with connection.cursor() as cursor:
        for table in OA_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table} CASCADE")


@pytest.fixture
def oa_here(oa_build, chart):
    """The OA ledger in this database, as a shop that upgraded in place has it: its users (same
    ids) and OA's tables and rows."""
    User = get_user_model()
    for row in oa_build["users"]:
        User.objects.create_user(id=row["id"], username=row["username"], email=row["email"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('auth_user', 'id'), (SELECT max(id) FROM auth_user))")
    _copy_oa_tables(oa_build, schema_only=False)
    yield oa_build
    _drop_oa_tables()


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


def assert_intact(oa, username_here):
    """Every OA account, transfer, leg, owner and code, here. `username_here`: OA username ->
    ours (None: imported unowned)."""
    new = {(m.kind, m.legacy_id): m.new_id for m in LegacyImport.objects.all()}

    def ours(user):
        return None if user is None else username_here[user["username"]]

    for row in oa["accounts"]:
        account = Account.objects.get(pk=new[("account", row["id"])])
        assert account.balance == D(row["balance"]) == D(row["legs_sum"]), row
        assert account.status == STATUS[row["status"]], row
        assert account.credit_limit == (None if row["credit_limit"] is None else D(row["credit_limit"])), row
        assert account.currency == "GBP" and account.held == 0
        if row["name"]:
            assert account.name == row["name"]
        if row["code"]:
            assert account.code_hash == codes.code_hash(row["code"]) and account.code_last4 == row["code"][-4:]
            assert Account.objects.with_code(row["code"]).get() == account
        else:
            assert account.code_hash is None
        owner = ours(row["primary_user"])
        assert (account.primary_user.username if account.primary_user else None) == owner, row
        assert sorted(u.username for u in account.secondary_users.all()) == sorted(
            u for u in map(ours, row["secondary_users"]) if u), row
        assert account.can_be_used_for_non_products == row["can_be_used_for_non_products"]
        assert [leg.amount for leg in Transaction.objects.filter(account=account).order_by("pk")] == [
            D(leg["amount"]) for leg in oa["legs"] if leg["account"] == row["id"]]
    for row in oa["transfers"]:
        transfer = Transfer.objects.get(pk=new[("transfer", row["id"])])
        assert (transfer.reference, transfer.amount, transfer.source_id, transfer.destination_id) == (
            row["reference"], D(row["amount"]), new[("account", row["source"])], new[("account", row["destination"])])
        assert transfer.parent_id == (new[("transfer", row["parent"])] if row["parent"] else None)
        assert (transfer.merchant_reference, transfer.description) == (row["merchant_reference"], row["description"])
        assert transfer.username == row["username"]
        assert (transfer.user.username if transfer.user else None) == ours(row["user"])
        assert sorted(leg.amount for leg in transfer.transactions.all()) == [-D(row["amount"]), D(row["amount"])]
    assert Transfer.objects.count() == len(oa["transfers"]) and Transaction.objects.count() == len(oa["legs"])
    assert ledger_health().ok


def oa_account(oa, name):
    return next(row for row in oa["accounts"] if row["name"] == name)


def test_a_ledger_built_by_oas_own_code_comes_across_whole(oa_here):
    oa = oa_here
    out, err = run("--dry-run")
    assert f"Would import 0 account types, 10 accounts, {len(oa['transfers'])} transfers and {len(oa['legs'])} legs" in out
    assert not LegacyImport.objects.exists() and not Transfer.objects.exists()

    out, err = run()
    assert "Imported 0 account types, 10 accounts" in out and "Ledger reconciles." in out, (out, err)
    assert_intact(oa, {row["username"]: row["username"] for row in oa["users"]})
    # OA's core accounts are ours; its generic types become what the accounts hold.
    bank = Account.objects.get(name="Bank", primary_user=None)
    assert bank.account_type.code == "bank" and bank.balance == D(oa_account(oa, "Bank")["balance"])
    assert Account.objects.filter(name="Redemptions").count() == 1
    carol_wallet = Account.objects.get(name="Store credit - carol")
    assert carol_wallet.account_type.code == "store_credit" and carol_wallet.is_default_wallet
    bare = Account.objects.get(primary_user__username="bob")  # OA: no name, no type
    assert bare.account_type.code == "store_credit" and bare.is_default_wallet and bare.name == "Store credit (GBP)"
    card = Account.objects.with_code(oa_account(oa, "Gift card for a friend")["code"]).get()
    assert card.account_type.code == "gift_cards" and not card.is_default_wallet
    b2b = Account.objects.get(name="Dave Ltd")
    assert (b2b.balance, b2b.credit_limit, b2b.status) == (D("-150.00"), D("200.00"), Account.Status.OPEN)

    # An imported gift card is redeemed into the customer's imported wallet, not a second one.
    carol = carol_wallet.primary_user
    before = Account.objects.filter(primary_user=carol).count()
    redemption = redeem_gift_card(code=oa_account(oa, "Gift card for a friend")["code"], user=carol, ip="127.0.0.1")
    assert redemption.wallet == carol_wallet and Account.objects.filter(primary_user=carol).count() == before
    carol_wallet.refresh_from_db()
    assert carol_wallet.balance == D("90.00") and ledger_health().ok

    out, _err = run()  # a second run adds nothing
    assert "Imported 0 account types, 0 accounts, 0 transfers and 0 legs" in out and ledger_health().ok


def _users_here(oa, *, skip=()):
    """The OA database's users, here under other ids: most by username, Bob by email only (as
    `robert`, his email in other case)."""
    UserFactory.create_batch(3)
    here = {}
    for row in oa["users"]:
        if row["username"] in skip:
            here[row["username"]] = None
        elif row["username"] == "bob":
            here["bob"] = UserFactory(username="robert", email=row["email"].lower()).username
        else:
            here[row["username"]] = UserFactory(username=row["username"], email=f"other-{row['username']}@example.org"
                                                ).username
    return here


def test_from_its_own_database_owners_are_matched_by_username_then_email(oa_build, chart):
    oa = oa_build
    here = _users_here(oa)
    out, err = run("--database-url", oa["url"])
    assert "Imported 0 account types, 10 accounts" in out and "Ledger reconciles." in out, (out, err)
    assert "No user here" not in err
    assert_intact(oa, here)
    assert get_user_model().objects.count() == len(oa["users"]) + 3
    # Bob, known here as robert, finds his wallet and the shared budget.
    robert = get_user_model().objects.get(username="robert")
    assert Account.objects.filter(primary_user=robert, is_default_wallet=True).count() == 1
    assert Account.objects.get(name="Team budget").secondary_users.filter(pk=robert.pk).exists()
    loose = next(row for row in oa["accounts"] if row["name"] is None and row["code"] and row["status"] == "Open")
    redemption = redeem_gift_card(code=loose["code"], user=robert, ip="127.0.0.1")
    assert redemption.wallet.primary_user == robert and redemption.wallet.is_default_wallet
    assert Account.objects.filter(primary_user=robert).count() == 1 and ledger_health().ok


def test_an_owner_without_a_user_here_is_listed_and_refuses_the_import(oa_build, chart):
    oa = oa_build
    here = _users_here(oa, skip=("dave",))
    out, err = run("--database-url", oa["url"], "--dry-run")
    assert "No user here for user #" in err and "'dave' <dave@example.com> (owner of 'Dave Ltd')" in err
    assert "The import would be refused" in err and "Would import" in out

    with pytest.raises(CommandError, match="Refused: 1 account owner"):
        run("--database-url", oa["url"])
    assert not Transfer.objects.exists() and not LegacyImport.objects.exists()

    out, err = run("--database-url", oa["url"], "--allow-unowned")
    assert "'dave'" in err and "imported unowned" in err and "Ledger reconciles." in out
    assert_intact(oa, here)
    assert Account.objects.get(name="Dave Ltd").primary_user is None


def test_a_shop_that_upgraded_in_place(oa_build):
    """The OA database itself, as a shop upgrading has it: this project's `migrate` takes it from
    Django 4.0 and Oscar 3.2 to this Django and Oscar (OA's tables and migration rows stay), then
    oscar_accounts_init and the import, each a process of its own; checked by assert_intact."""
    name = f"{oa_build['name']}_inplace"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{oa_build["name"]}"')
    env = {**os.environ, "DATABASE_URL": _url(name), "STORE_SANDBOX_ALLOWED": "true",
           "DJANGO_SETTINGS_MODULE": "headless_store.settings"}

    def python(*args):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result.stdout

    try:
        python("manage.py", "migrate", "--noinput")
        python("manage.py", "oscar_accounts_init")
        out = python("manage.py", "import_oscar_accounts")
        assert "Imported 0 account types, 10 accounts" in out and "Ledger reconciles." in out
        assert "intact" in python("-c", "import json, django; django.setup(); "
                                        "from tests.ledger.test_oa_import import assert_intact; "
                                        f"oa = json.load(open({oa_build['json']!r})); "
                                        "assert_intact(oa, {u['username']: u['username'] for u in oa['users']}); "
                                        "print('intact')")
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_names_and_codes_that_clash_here_are_reported_not_fatal(oa_tables):
    """A 128-character name that exists here is renamed within the column; two OA codes that differ
    only by dashes (distinct to OA, the same code as customers type them here) import with the
    second one's code withheld and reported (both crashed the import, --dry-run too)."""
    now = timezone.now() - timedelta(days=3)
    kind = insert("oscar_accounts_accounttype", path="0001", depth=1, numchild=0, code="giftcards", name="Gift cards")
    long_name = "N" * 128
    AccountFactory(name=long_name)

    def account(name, code=None):
        return insert("oscar_accounts_account", name=name, description="", code=code, status="Open",
                      credit_limit=D("0"), balance=D("0"), start_date=None, end_date=None,
                      can_be_used_for_non_products=True, date_created=now, account_type_id=kind,
                      primary_user_id=None, product_range_id=None)

    long_id = account(long_name)
    account("Card one", "GIFT-2020-AAAA")
    second = account("Card two", "GIFT2020AAAA")
    for args in (("--dry-run",), ()):
        out, err = run(*args)
        assert f"#{second}" in err and "imported without a code" in err
        assert f"#{long_id}" in err
    renamed = Account.objects.get(name__endswith=f"(OA #{long_id})")
    assert len(renamed.name) == 128
    assert Account.objects.get(name="Card one").code_hash == codes.code_hash("GIFT-2020-AAAA")
    assert Account.objects.get(name="Card two").code_hash is None and ledger_health().ok


def test_a_second_run_reports_what_oa_changed_and_never_fails_on_it(oa_tables):
    """Between two runs OA froze a card and raised a wallet's limit, and the wallet spent past its
    old limit: the second run reports both and still imports (it crashed on the limit)."""
    oa = oa_ledger()
    run()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE oscar_accounts_account SET status = 'Frozen' WHERE id = %s", [oa["card"]])
        cursor.execute("UPDATE oscar_accounts_account SET credit_limit = 100 WHERE id = %s", [oa["overdrawn"]])
    redemptions = insert_redemptions_payment(oa["overdrawn"], D("40.00"))
    out, err = run()
    assert "Imported 0 account types, 0 accounts, 1 transfers and 2 legs" in out and redemptions
    assert "Frozen in OA since it was imported" in err and "credit limit 100" in err
    bob = Account.objects.get(name="Bob wallet")
    assert bob.balance == D("-70.00") and bob.credit_limit >= D("70.00") and ledger_health().ok


def insert_redemptions_payment(source, amount):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM oscar_accounts_account WHERE name = 'Redemptions'")
        redemptions = cursor.fetchone()[0]
    when = timezone.now() - timedelta(days=1)
    pk = insert("oscar_accounts_transfer", reference="G" * 32, amount=amount, merchant_reference="100002",
                description="", date_created=when, destination_id=redemptions, source_id=source, user_id=None,
                username="", parent_id=None)
    for account_id, leg in ((source, -amount), (redemptions, amount)):
        insert("oscar_accounts_transaction", amount=leg, date_created=when, account_id=account_id, transfer_id=pk)
    return pk


def test_an_over_refund_oa_allowed_is_reported_and_the_ledger_still_reconciles(oa_tables):
    """OA let two refunds of 4.00 follow a 4.00 payment: the second imports as a transfer of its own
    (reported), so the ledger's rule that refunds never exceed what they refund holds."""
    oa = oa_ledger()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM oscar_accounts_account WHERE name = 'Redemptions'")
        redemptions = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM oscar_accounts_transfer WHERE reference = %s", ["E" * 32])
        payment = cursor.fetchone()[0]  # card -> Redemptions 20.00
    when = timezone.now() - timedelta(days=1)
    for letter in "HI":
        pk = insert("oscar_accounts_transfer", reference=letter * 32, amount=D("15.00"), merchant_reference="100001",
                    description="", date_created=when, destination_id=oa["card"], source_id=redemptions,
                    user_id=None, username="", parent_id=payment)
        for account_id, leg in ((redemptions, D("-15.00")), (oa["card"], D("15.00"))):
            insert("oscar_accounts_transaction", amount=leg, date_created=when, account_id=account_id, transfer_id=pk)
    out, err = run()
    assert "Ledger reconciles." in out and f"transfer #{payment} past its amount" in err and ledger_health().ok
    assert Transfer.objects.get(reference="H" * 32).parent.reference == "E" * 32
    assert Transfer.objects.get(reference="I" * 32).parent is None
