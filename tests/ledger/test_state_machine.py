"""A hypothesis state machine: random transfers, reversals, freezes and closes.

A shadow model predicts every outcome (the new balances, or which exception), and after every
step the ledger must agree with it and pass every reconciliation check.
"""
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from headless_store.ledger import core, facade
from headless_store.ledger import exceptions as exc
from headless_store.ledger.models import Account
from headless_store.ledger.selectors.health import ledger_health
from tests.factories import AccountFactory

AMOUNTS = st.one_of(
    st.integers(min_value=1, max_value=20000).map(lambda n: D(n).scaleb(-2)),
    st.sampled_from([D("0"), D("-1.00"), D("0.001")]),
)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.accounts: list[Account] = []
        self.shadow: dict[int, dict] = {}
        self.transfers: list[tuple] = []  # (transfer, remaining)

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # -- set-up -------------------------------------------------------------------------------
    @initialize()
    def open_accounts(self):
        for currency in ("GBP", "EUR"):
            self._track(core.bank_account(currency))
            for limit in (D("0"), D("0"), D("50")):
                self._track(AccountFactory(currency=currency, credit_limit=limit))

    def _track(self, account):
        self.accounts.append(account)
        self.shadow[account.pk] = {
            "balance": account.balance, "limit": account.credit_limit,
            "status": account.status, "currency": account.currency,
        }

    # -- prediction ---------------------------------------------------------------------------
    def _refusal(self, source, destination, amount):
        s, d = self.shadow[source.pk], self.shadow[destination.pk]
        if source.pk == destination.pk:
            return exc.InvalidTransfer
        if amount <= 0 or amount != amount.quantize(D("0.01")):
            return exc.InvalidAmount
        if s["currency"] != d["currency"]:
            return exc.CurrencyMismatch
        for pk in sorted((source.pk, destination.pk), reverse=True):  # the order the posting locks them
            state = self.shadow[pk]
            if state["status"] == "CLOSED":
                return exc.ClosedAccount
            if state["status"] == "FROZEN":
                return exc.FrozenAccount
            if pk == source.pk and s["limit"] is not None and s["balance"] - amount < -s["limit"]:
                return exc.InsufficientFunds
        return None

    def _attempt(self, expected, action):
        try:
            result = action()
        except exc.AccountException as error:
            assert type(error) is expected, f"expected {expected}, got {type(error)}: {error}"
            return None
        assert expected is None, f"expected {expected}, but it succeeded"
        return result

    # -- rules --------------------------------------------------------------------------------
    @rule(data=st.data(), amount=AMOUNTS)
    def transfer(self, data, amount):
        source = data.draw(st.sampled_from(self.accounts))
        destination = data.draw(st.sampled_from(self.accounts))
        expected = self._refusal(source, destination, amount)
        posted = self._attempt(expected, lambda: facade.transfer(source, destination, amount))
        if posted is not None:
            self.shadow[source.pk]["balance"] -= amount
            self.shadow[destination.pk]["balance"] += amount
            self.transfers.append([posted, amount])

    @precondition(lambda self: self.transfers)
    @rule(data=st.data(), partial=st.one_of(st.none(), AMOUNTS))
    def reverse(self, data, partial):
        entry = data.draw(st.sampled_from(self.transfers))
        original, remaining = entry
        amount = remaining if partial is None else partial
        if remaining <= 0:
            expected = exc.ReversalNotPermitted
        elif partial is not None and (partial <= 0 or partial != partial.quantize(D("0.01"))):
            expected = exc.InvalidAmount
        elif amount > remaining:
            expected = exc.ReversalNotPermitted
        else:
            source = next(a for a in self.accounts if a.pk == original.destination_id)
            destination = next(a for a in self.accounts if a.pk == original.source_id)
            expected = self._refusal(source, destination, amount)
        reversal = self._attempt(expected, lambda: facade.reverse(original, amount=partial))
        if reversal is not None:
            entry[1] -= amount
            self.shadow[original.destination_id]["balance"] -= amount
            self.shadow[original.source_id]["balance"] += amount

    @rule(data=st.data(), action=st.sampled_from(["freeze", "thaw", "close"]))
    def change_state(self, data, action):
        account = data.draw(st.sampled_from(self.accounts))
        state = self.shadow[account.pk]
        if state["status"] == "CLOSED":
            expected = exc.ClosedAccount
        elif action == "close":
            expected = exc.AccountNotEmpty if state["balance"] != 0 else None
        elif action == "freeze":
            expected = None if state["status"] == "OPEN" else exc.AccountException
        else:
            expected = None if state["status"] == "FROZEN" else exc.AccountException
        if self._attempt(expected, lambda: getattr(account, action)() or True):
            state["status"] = {"freeze": "FROZEN", "thaw": "OPEN", "close": "CLOSED"}[action]

    # -- invariants ---------------------------------------------------------------------------
    @invariant()
    def database_agrees_with_the_model(self):
        rows = Account.objects.filter(pk__in=self.shadow).values_list("pk", "balance", "status")
        for pk, balance, status in rows:
            assert balance == self.shadow[pk]["balance"], pk
            assert status == self.shadow[pk]["status"], pk

    @invariant()
    def every_reconciliation_check_passes(self):
        health = ledger_health()
        assert health.ok, [c for c in health.checks if not c.ok]


@pytest.mark.django_db
def test_random_operations_keep_every_invariant(chart):
    core.bank_account("EUR")
    run_state_machine_as_test(
        LedgerMachine, settings=hsettings(max_examples=100, stateful_step_count=30, deadline=None)
    )
