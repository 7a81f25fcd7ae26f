"""Management commands: oscar_accounts_init, ledger_close_expired, ledger_reconcile."""
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from headless_store.ledger import core, facade
from headless_store.ledger.models import Account, AccountType, Transaction
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def run(command, *args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


class TestInit:
    def test_a_second_run_changes_nothing_and_says_so(self, chart):
        types, accounts = AccountType.objects.count(), Account.objects.count()
        code, out, _ = run("oscar_accounts_init")
        assert code == 0 and "nothing to create" in out
        assert (AccountType.objects.count(), Account.objects.count()) == (types, accounts)

    def test_creates_the_default_chart_and_core_accounts(self, chart):
        assert AccountType.objects.get(code="gift_cards").full_name == "Liabilities / Deferred income / Gift cards"
        assert AccountType.objects.get(code="lapsed").full_name == "Income / Lapsed"
        assert core.bank_account().credit_limit is None
        assert core.redemptions_account().credit_limit == 0
        assert core.bank_account().account_type.code == "bank"

    def test_another_currency_gets_its_own_core_accounts(self, chart):
        code, out, _ = run("oscar_accounts_init", "--currency", "EUR")
        assert "Bank (EUR)" in out
        assert core.bank_account("EUR").currency == "EUR"
        assert core.bank_account("EUR") != core.bank_account("GBP")
        assert "nothing to create" in run("oscar_accounts_init", "--currency", "EUR")[1]

    def test_core_account_names_come_from_settings(self, chart, settings):
        settings.ACCOUNTS_LAPSED_NAME = "Breakage"
        run("oscar_accounts_init")
        assert core.lapsed_account().name == "Breakage"


class TestCloseExpired:
    def test_moves_balances_to_lapsed_and_closes_zero_balances_too(self, chart):
        past = timezone.now() - timedelta(days=1)
        funded = AccountFactory(end_date=past, funded=D("30"))
        empty = AccountFactory(end_date=past)
        running = AccountFactory(end_date=timezone.now() + timedelta(days=1), funded=D("5"))
        code, out, _ = run("ledger_close_expired")
        assert code == 0
        assert Account.objects.get(pk=funded.pk).is_closed()
        assert Account.objects.get(pk=empty.pk).is_closed()
        assert Account.objects.get(pk=running.pk).is_open()
        assert Account.objects.get(pk=funded.pk).balance == 0
        assert core.lapsed_account().balance == D("30")
        assert "2 expired accounts closed (30.00 GBP lapsed)" in out
        assert run("ledger_reconcile")[0] == 0

    def test_an_overdrawn_expired_account_is_left_open_and_reported(self, chart, redemptions):
        b2b = AccountFactory(credit_limit=D("100"))
        facade.transfer(b2b, redemptions, D("40"))
        b2b.end_date = timezone.now() - timedelta(seconds=1)
        b2b.save()
        code, out, err = run("ledger_close_expired")
        assert Account.objects.get(pk=b2b.pk).is_open()
        assert "overdrawn by 40" in err

    def test_frozen_expired_accounts_are_left_alone_and_reported_until_thawed(self, chart):
        frozen = AccountFactory(end_date=timezone.now() - timedelta(days=1), funded=D("5"))
        frozen.freeze()
        _code, _out, err = run("ledger_close_expired")
        assert Account.objects.get(pk=frozen.pk).is_frozen()
        assert Account.objects.get(pk=frozen.pk).balance == D("5")
        assert "frozen by staff" in err
        Account.objects.get(pk=frozen.pk).thaw()
        assert "1 expired accounts closed (5.00 GBP lapsed)" in run("ledger_close_expired")[1]
        assert Account.objects.get(pk=frozen.pk).is_closed() and core.lapsed_account().balance == D("5")

    def test_a_second_run_finds_nothing(self, chart):
        AccountFactory(end_date=timezone.now() - timedelta(days=1), funded=D("3"))
        run("ledger_close_expired")
        assert "0 expired accounts closed" in run("ledger_close_expired")[1]


class TestReconcile:
    @pytest.fixture
    def ledger(self, chart, bank, redemptions):
        wallet = AccountFactory(funded=D("100"))
        payment = facade.transfer(wallet, redemptions, D("30"))
        facade.reverse(payment, amount=D("10"))
        return wallet

    def test_a_healthy_ledger_reconciles(self, ledger):
        code, out, _ = run("ledger_reconcile")
        assert code == 0
        assert "GBP: " in out and "balances sum to 0.00" in out and "customers hold 80.00" in out
        assert "Ledger reconciles." in out

    def test_a_leg_tampered_with_in_raw_sql_is_caught(self, ledger):
        leg = Transaction.objects.filter(account=ledger).order_by("id").first()
        table = Transaction._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the trigger must be switched off first
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ledger_transaction_immutable")
            cursor.execute(f"UPDATE {table} SET amount = amount + 1 WHERE id = %s", [leg.pk])
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ledger_transaction_immutable")
        code, out, err = run("ledger_reconcile")
        assert code == 1
        assert "FAIL  Every transfer has exactly two legs" in out
        assert "FAIL  Every account's balance equals the sum of its legs" in out
        assert "does NOT reconcile" in err

    def test_a_balance_tampered_with_in_raw_sql_is_caught(self, ledger):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Account._meta.db_table} SET balance = balance + 5 WHERE id = %s", [ledger.pk])
        code, out, _ = run("ledger_reconcile")
        assert code == 1
        assert "FAIL  Account balances sum to zero" in out
        assert f"#{ledger.pk}" in out


@pytest.mark.postgres
class TestPostgresTriggers:
    def test_raw_sql_cannot_change_or_delete_legs_or_transfers(self, chart, bank):
        from django.db import DatabaseError, transaction

        t = facade.transfer(bank, AccountFactory(), D("10"))
        for sql in (
            f"UPDATE ledger_transaction SET amount = 1 WHERE transfer_id = {t.pk}",
            f"DELETE FROM ledger_transaction WHERE transfer_id = {t.pk}",
            f"UPDATE ledger_transfer SET amount = 1 WHERE id = {t.pk}",
            f"DELETE FROM ledger_transfer WHERE id = {t.pk}",
        ):
            with pytest.raises(DatabaseError, match="immutable"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql)

    def test_the_check_constraint_refuses_a_balance_below_the_credit_limit(self, chart):
        from django.db import IntegrityError, transaction

        account = AccountFactory(credit_limit=D("10"))
        with pytest.raises(IntegrityError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE ledger_account SET balance = -10.01 WHERE id = %s", [account.pk])
