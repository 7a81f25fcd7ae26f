"""facade.transfer(): what it records, what it refuses, and that a refusal changes nothing."""
import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from headless_store.ledger import exceptions, facade
from headless_store.ledger.models import Account, Transaction, Transfer
from headless_store.ledger.posting import Posting
from headless_store.ledger.signals import transfer_completed
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything a refused transfer must leave as it was."""
    return (
        Transfer.objects.count(),
        Transaction.objects.count(),
        dict(Account.objects.values_list("pk", "balance")),
    )


class TestATransfer:
    def test_records_two_legs_and_moves_the_balances(self, chart, bank):
        account = AccountFactory()
        t = facade.transfer(bank, account, D("10.00"))
        assert t.amount == D("10.00")
        assert bank.balance == D("-10.00") and account.balance == D("10.00")
        legs = {leg.account_id: leg for leg in t.transactions.all()}
        assert len(legs) == 2
        assert legs[bank.pk].amount == D("-10.00") and legs[account.pk].amount == D("10.00")
        assert sum(leg.amount for leg in legs.values()) == 0
        assert legs[bank.pk].balance_after == D("-10.00")
        assert legs[account.pk].balance_after == D("10.00")
        assert Account.objects.get(pk=account.pk).balance == D("10.00")

    def test_balance_after_follows_each_leg(self, chart, bank, redemptions):
        account = AccountFactory()
        facade.transfer(bank, account, D("10"))
        facade.transfer(account, redemptions, D("3"))
        facade.transfer(bank, account, D("5"))
        history = list(account.transactions.order_by("id").values_list("amount", "balance_after"))
        assert history == [(D("10"), D("10")), (D("-3"), D("7")), (D("5"), D("12"))]

    def test_reference_is_32_random_upper_case_hex_characters(self, chart, bank):
        account = AccountFactory()
        references = {facade.transfer(bank, account, D("1")).reference for _ in range(20)}
        assert len(references) == 20
        assert all(re.fullmatch(r"[0-9A-F]{32}", ref) for ref in references)

    def test_records_user_description_and_merchant_reference(self, chart, bank):
        clerk = UserFactory(username="barry")
        t = facade.transfer(bank, AccountFactory(), D("1"), user=clerk,
                            merchant_reference="100042", description="Top-up")
        t = Transfer.objects.get(pk=t.pk)
        assert (t.user, t.username, t.merchant_reference, t.description) == (clerk, "barry", "100042", "Top-up")
        assert t.currency == "GBP"

    def test_anonymous_transfer_succeeds(self, chart, bank):
        assert facade.transfer(bank, AccountFactory(), D("1")).user is None

    def test_transfers_to_and_from_expired_accounts_are_permitted(self, chart, bank, redemptions):
        expired = AccountFactory(end_date=timezone.now() - timedelta(days=1))
        facade.transfer(bank, expired, D("5"))
        facade.transfer(expired, redemptions, D("5"))
        assert Account.objects.get(pk=expired.pk).balance == 0

    def test_history_length_does_not_change_the_queries(self, chart, bank):
        account = AccountFactory()
        facade.transfer(bank, account, D("1"))
        with CaptureQueriesContext(connection) as short:
            facade.transfer(bank, account, D("1"))
        for _ in range(60):
            facade.transfer(bank, account, D("1"))
        with CaptureQueriesContext(connection) as long:
            facade.transfer(bank, account, D("1"))
        statements = [q["sql"].split()[0].upper() for q in long.captured_queries]
        # savepoint, the transfer and the outbox's event (its relay is woken after commit), the
        # conditional UPDATE of the account (the newer: locked first) and its credit lot (a
        # store-credit account), the Bank's conditional UPDATE and both legs in one INSERT, release;
        # on PostgreSQL each pair is one statement (WITH ... INSERT/UPDATE ... INSERT)
        if connection.vendor == "postgresql":
            assert statements == ["SAVEPOINT", "WITH", "WITH", "WITH", "RELEASE"]
        else:
            assert statements == ["SAVEPOINT", "INSERT", "INSERT", "UPDATE", "INSERT", "UPDATE", "INSERT", "RELEASE"]
        assert len(short.captured_queries) == len(long.captured_queries)
        assert not any("FROM LEDGER_TRANSACTION" in q["sql"].upper() for q in long.captured_queries)  # no sum over legs


class TestRefusals:
    @pytest.mark.parametrize(
        "amount",
        [D("-20.00"), D("0"), D("0.00"), "-1", D("10.005"), "0.001", D("NaN"), D("Infinity"),
         D("-Infinity"), D("1e12"), "99999999999999999999999", 10.5, True, "ten", None, ""],
    )
    def test_bad_amounts_raise_invalid_amount_and_change_nothing(self, chart, bank, amount):
        account = AccountFactory()
        before = snapshot()
        with pytest.raises(exceptions.InvalidAmount):
            facade.transfer(bank, account, amount)
        assert snapshot() == before

    def test_amounts_follow_the_currency_exponent(self, chart):
        yen_bank = AccountFactory(currency="JPY", credit_limit=None)
        yen = AccountFactory(currency="JPY")
        with pytest.raises(exceptions.InvalidAmount, match="0 decimal places"):
            facade.transfer(yen_bank, yen, D("1.5"))
        facade.transfer(yen_bank, yen, D("1500"))
        dinar_bank = AccountFactory(currency="BHD", credit_limit=None)
        dinar = AccountFactory(currency="BHD")
        facade.transfer(dinar_bank, dinar, D("1.125"))
        with pytest.raises(exceptions.InvalidAmount):
            facade.transfer(dinar_bank, dinar, D("1.1255"))

    def test_trailing_zeros_are_not_over_precision(self, chart, bank):
        account = AccountFactory()
        facade.transfer(bank, account, D("1.1000"))
        assert Account.objects.get(pk=account.pk).balance == D("1.10")

    def test_insufficient_funds(self, chart, redemptions):
        account = AccountFactory(credit_limit=D("10.00"))
        before = snapshot()
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(account, redemptions, D("20.00"))
        assert snapshot() == before

    def test_a_self_transfer_is_refused(self, chart, bank):
        with pytest.raises(exceptions.InvalidTransfer):
            facade.transfer(bank, bank, D("1"))

    @pytest.mark.parametrize("side", ["source", "destination"])
    def test_closed_accounts_are_refused(self, chart, bank, side):
        account = AccountFactory(credit_limit=None)
        account.close()
        before = snapshot()
        with pytest.raises(exceptions.ClosedAccount):
            if side == "source":
                facade.transfer(account, bank, D("1"))
            else:
                facade.transfer(bank, account, D("1"))
        assert snapshot() == before

    @pytest.mark.parametrize("side", ["source", "destination"])
    def test_frozen_accounts_are_refused(self, chart, bank, side):
        account = AccountFactory(funded=D("5"))
        account.freeze()
        before = snapshot()
        with pytest.raises(exceptions.FrozenAccount) as refused:
            if side == "source":
                facade.transfer(account, bank, D("1"))
            else:
                facade.transfer(bank, account, D("1"))
        assert isinstance(refused.value, exceptions.ClosedAccount)  # as django-oscar-accounts
        assert snapshot() == before

    def test_a_stale_instance_does_not_fool_the_status_check(self, chart, bank):
        account = AccountFactory()
        Account.objects.get(pk=account.pk).freeze()
        assert account.is_open()  # the caller's copy is out of date
        with pytest.raises(exceptions.FrozenAccount):
            facade.transfer(bank, account, D("1"))

    def test_a_stale_instance_does_not_fool_the_funds_check(self, chart, redemptions):
        account = AccountFactory(funded=D("100"))
        first, second = Account.objects.get(pk=account.pk), Account.objects.get(pk=account.pk)
        facade.transfer(first, redemptions, D("80"))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(second, redemptions, D("80"))
        assert Account.objects.get(pk=account.pk).balance == D("20")

    def test_currencies_do_not_mix(self, chart, bank):
        euros = AccountFactory(currency="EUR")
        with pytest.raises(exceptions.CurrencyMismatch):
            facade.transfer(bank, euros, D("1"))

    def test_unknown_currency_is_refused(self, chart):
        with pytest.raises(exceptions.InvalidAmount, match="ISO 4217"):
            facade.transfer(AccountFactory(currency="ZZZ", credit_limit=None), AccountFactory(currency="ZZZ"), D("1"))

    def test_only_the_owner_may_debit(self, chart, redemptions):
        owner, other = UserFactory(), UserFactory()
        account = AccountFactory(primary_user=owner, funded=D("10"))
        with pytest.raises(exceptions.NotAuthorised):
            facade.transfer(account, redemptions, D("1"), user=other)
        facade.transfer(account, redemptions, D("1"), user=owner)
        member = UserFactory()
        account.secondary_users.add(member)
        facade.transfer(account, redemptions, D("1"), user=member)
        assert Account.objects.get(pk=account.pk).balance == D("8")

    def test_an_error_after_the_inserts_leaves_no_transfer_and_no_leg(self, chart, bank, monkeypatch):
        account = AccountFactory()
        before = snapshot()
        move = Posting._move  # both balances and both legs

        def insert_then_fail(self, *args):
            move(self, *args)
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(Posting, "_move", insert_then_fail)
        with pytest.raises(RuntimeError, match="disk on fire"):  # a bug is not a refusal: not wrapped
            facade.transfer(bank, account, D("10"))
        assert snapshot() == before


class TestWithoutItsOwnSavepoint:
    """`savepoint=False` (a checkout: all or nothing): a refusal takes the caller's whole
    transaction with it, never half of a transfer or hold."""

    @pytest.mark.parametrize("move", [
        lambda empty, account: facade.transfer(empty, account, D("1"), savepoint=False),
        lambda empty, account: facade.hold(empty, account, D("1"), savepoint=False),
    ], ids=["transfer", "hold"])
    def test_a_refusal_rolls_the_callers_transaction_back(self, chart, bank, move):
        rich, empty, account = AccountFactory(funded=D("10")), AccountFactory(), AccountFactory()
        before = snapshot()
        with pytest.raises(exceptions.InsufficientFunds), transaction.atomic():
            facade.transfer(rich, account, D("5"))
            move(empty, account)
        assert snapshot() == before

    def test_a_caller_that_swallows_the_refusal_commits_nothing(self, chart, bank):
        rich, empty, account = AccountFactory(funded=D("10")), AccountFactory(), AccountFactory()
        before = snapshot()
        with transaction.atomic():
            facade.transfer(rich, account, D("5"))
            with pytest.raises(exceptions.InsufficientFunds):
                facade.transfer(empty, account, D("1"), savepoint=False)
            assert transaction.get_rollback()  # the block ends in a rollback, whatever the caller does
        assert snapshot() == before


class TestImmutability:
    def test_transfers_and_legs_cannot_be_changed_or_deleted(self, chart, bank):
        t = facade.transfer(bank, AccountFactory(), D("10"))
        leg = t.transactions.first()
        for action in (t.delete, leg.delete, t.save, leg.save,
                       Transfer.objects.all().delete, Transaction.objects.all().delete,
                       lambda: Transfer.objects.update(amount=1),
                       lambda: Transaction.objects.update(amount=1)):
            with pytest.raises(RuntimeError):
                action()
        assert Transaction.objects.filter(transfer=t).count() == 2

    def test_deleting_the_user_keeps_the_legs_and_the_username(self, chart, bank):
        barry = UserFactory(username="barry")
        t = facade.transfer(bank, AccountFactory(), D("10"), user=barry)
        barry.delete()
        t = Transfer.objects.get(pk=t.pk)
        assert t.user is None
        assert t.authorisor_username == "barry"
        assert t.transactions.count() == 2


class TestSignals:
    def test_transfer_completed_is_sent_after_commit(self, chart, bank, django_capture_on_commit_callbacks):
        received = []
        transfer_completed.connect(lambda sender, transfer, **kw: received.append(transfer), weak=False,
                                   dispatch_uid="t1")
        try:
            with django_capture_on_commit_callbacks(execute=True):
                t = facade.transfer(bank, AccountFactory(), D("1"))
                assert received == []
            assert [r.pk for r in received] == [t.pk]
        finally:
            transfer_completed.disconnect(dispatch_uid="t1")

    def test_no_signal_when_the_callers_transaction_rolls_back(self, chart, bank, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            with transaction.atomic():
                facade.transfer(bank, AccountFactory(), D("1"))
                transaction.set_rollback(True)
        assert callbacks == []
