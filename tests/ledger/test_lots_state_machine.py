"""A hypothesis state machine over credit lots: credits with their own start and expiry, debits,
holds, captures, voids, reversals, the passing of time and the expiry sweeps.

A plain-Python model of the lots (the documented rules, written independently of the SQL)
predicts every outcome: which call is refused, every balance and every lot's remaining and held
amounts. After every step the database must agree and every reconciliation check must pass (lots
sum to the balance, none below zero, nothing spent outside a lot's window...). Runs on SQLite and,
with DATABASE_URL, on PostgreSQL.
"""
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.test.utils import override_settings
from freezegun import freeze_time
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from headless_store.ledger import core, facade, lots, names
from headless_store.ledger import exceptions as exc
from headless_store.ledger.holds import expire_holds
from headless_store.ledger.models import Account, Lot
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.expiry import expire_lots
from tests.factories import AccountFactory

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
AMOUNTS = st.integers(min_value=1, max_value=3000).map(lambda n: D(n).scaleb(-2))
OFFSETS = st.one_of(st.none(), st.integers(min_value=-6, max_value=72).map(lambda h: timedelta(hours=h)))
PRIORITY = {"promotional": 0, "points": 1, "paid": 2, "refund": 3}
HOLD_LIFE = timedelta(hours=3)


class MLot:
    def __init__(self, pk, account, category, amount, effective_from, expires_at, made_by):
        self.pk, self.account, self.category = pk, account, category
        self.remaining, self.held = amount, D(0)
        self.effective_from, self.expires_at, self.made_by = effective_from, expires_at, made_by

    def usable(self, now):
        return ((self.effective_from is None or self.effective_from <= now)
                and (self.expires_at is None or now < self.expires_at))

    def key(self, prefer):
        return (0 if prefer is not None and self.made_by == prefer else 1, self.expires_at is None,
                self.expires_at or START, PRIORITY[self.category], self.pk)


class LotsMachine(RuleBasedStateMachine):
    #: What the runs did, across examples (the test asserts every operation happened).
    done: Counter = Counter()

    def __init__(self):
        super().__init__()
        self.clock = freeze_time(START)
        self.frozen = self.clock.start()
        self.now = START
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.balance: dict[int, D] = {}
        self.held: dict[int, D] = {}
        self.limit: dict[int, D] = {}
        self.lots: dict[int, MLot] = {}
        self.takes: dict[int, list] = {}      # transfer pk -> [(lot pk, amount)] taken, in order
        self.restored: dict[int, dict] = {}   # original pk -> {lot pk: given back}
        self.reversible: list[list] = []      # [transfer, left to reverse, (source pk, destination pk)]
        self.holds: list[list] = []           # [hold, [(lot pk, amount)], "PENDING"|...]
        self.unreserving: list = []           # a capture's planned [(hold entry, index, share)]

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.clock.stop()

    @initialize()
    def open_accounts(self):
        self.bank, self.redemptions = core.bank_account(), core.redemptions_account()
        self.promotions, self.lapsed = core.promotions_account(), core.lapsed_account()
        self.customers = [AccountFactory(), AccountFactory(credit_limit=D("50")),
                          AccountFactory(type_code=names.GIFT_CARDS)]
        for account in [self.bank, self.redemptions, self.promotions, self.lapsed, *self.customers]:
            self.balance[account.pk], self.held[account.pk] = account.balance, account.held
            self.limit[account.pk] = account.credit_limit
        # Every run starts with lots whose order matters: same expiry, different categories.
        for account in self.customers:
            for amount, category, hours, promotional in ((D("20"), None, None, False), (D("20"), None, None, True),
                                                         (D("10"), "points", 24, False), (D("10"), "paid", 24, False),
                                                         (D("5"), "refund", None, False)):
                expires_at = START + timedelta(hours=hours) if hours else None
                self._credit(account, amount, category, None, expires_at, promotional)

    # -- the model ---------------------------------------------------------------------------
    def _account_lots(self, account_pk):
        return [lot for lot in self.lots.values() if lot.account == account_pk]

    def _free_usable(self, account_pk, prefer=None, window=True):
        lots_ = [lot for lot in self._account_lots(account_pk)
                 if lot.remaining - lot.held > 0 and (not window or lot.usable(self.now))]
        return sorted(lots_, key=lambda lot: lot.key(prefer))

    def _plan(self, candidates, need):
        """[(lot, amount)] taking up to `need` from (lot, cap) candidates in order."""
        plan, left = [], need
        for lot, cap in candidates:
            if left <= 0:
                break
            amount = min(cap, left)
            plan.append((lot, amount))
            left -= amount
        return plan, need - left

    def _account_refuses(self, pk, amount):
        limit = self.limit[pk]
        return limit is not None and self.balance[pk] - self.held[pk] - amount < -limit

    def _debit_plan(self, pk, amount, prefer=None, reserved=(), capturing=None):
        """What a debit of `amount` from customer account `pk` would take, or None if refused. A
        capture (`capturing`: its hold's pk) takes what its hold reserved first, then free lots;
        if they fall short, other pending holds of the account give up reservations (the newest
        hold first, by lot), as lots._unreserve_for does, kept in `self.unreserving` until the
        capture succeeds."""
        need = min(amount, max(self.balance[pk], D(0)))
        plan, got = self._plan([(self.lots[lot], cap) for lot, cap in reserved], need)
        if got < need:
            more, extra = self._plan(self._free_after(pk, plan, prefer), need - got)
            plan, got = plan + more, got + extra
        self.unreserving = []
        if got < need and capturing is not None:
            short, freed = need - got, D(0)
            others = sorted((e for e in self.holds if e[2] == "PENDING" and e[0].source_id == pk
                             and e[0].pk != capturing), key=lambda e: e[0].pk, reverse=True)
            for other in others:
                for index, (lot_pk, held) in sorted(enumerate(other[1]), key=lambda item: item[1][0]):
                    if freed >= short:
                        break
                    if held > 0 and self.lots[lot_pk].usable(self.now):
                        share = min(held, short - freed)
                        self.unreserving.append((other, index, share))
                        freed += share
            for other, index, share in self.unreserving:  # tentatively, to see what is free then
                self.lots[other[1][index][0]].held -= share
            more, extra = self._plan(self._free_after(pk, plan, None), need - got)
            for other, index, share in self.unreserving:
                self.lots[other[1][index][0]].held += share
            plan, got = plan + more, got + extra
        return plan if got >= need else None

    def _free_after(self, pk, plan, prefer):
        """Free usable lots and what is free of them once `plan` has taken its part."""
        planned: dict[int, D] = {}
        for lot, taken in plan:
            planned[lot.pk] = planned.get(lot.pk, D(0)) + taken
        free = [(lot, lot.remaining - lot.held - planned.get(lot.pk, D(0))) for lot in self._free_usable(pk, prefer)]
        return [(lot, cap) for lot, cap in free if cap > 0]

    def _unreserve(self):
        """A capture succeeded: the reservations it took from other holds are given up."""
        for other, index, share in self.unreserving:
            lot_pk, held = other[1][index]
            other[1][index] = (lot_pk, held - share)
            self.lots[lot_pk].held -= share
        self.unreserving = []

    def _new_lots(self, posted, destination_pk):
        for lot in Lot.objects.filter(transfer=posted, account_id=destination_pk):
            self.lots[lot.pk] = MLot(lot.pk, destination_pk, lot.category, lot.amount, lot.effective_from,
                                     lot.expires_at, posted.pk)

    def _attempt(self, expected, action):
        try:
            result = action()
        except exc.AccountException as error:
            assert isinstance(error, expected), f"expected {expected}, got {type(error)}: {error}"
            return None
        assert expected is None, f"expected {expected}, but it succeeded"
        return result

    # -- rules -------------------------------------------------------------------------------
    @rule(data=st.data(), amount=AMOUNTS, category=st.sampled_from([None, *PRIORITY]),
          start=OFFSETS, life=OFFSETS, promotional_source=st.booleans())
    def credit(self, data, amount, category, start, life, promotional_source):
        account = data.draw(st.sampled_from(self.customers))
        effective_from = self.now + start if start is not None else None
        expires_at = None
        if life is not None:
            expires_at = (effective_from or self.now) + abs(life) + timedelta(hours=1)
        self._credit(account, amount, category, effective_from, expires_at, promotional_source)

    def _credit(self, account, amount, category, effective_from, expires_at, promotional_source):
        source = self.promotions if promotional_source else self.bank
        terms = lots.Credit(category=category, effective_from=effective_from, expires_at=expires_at)
        posted = facade.transfer(source, account, amount, lot=terms)
        self.balance[source.pk] -= amount
        self.balance[account.pk] += amount
        if min(amount, max(self.balance[account.pk], D(0))) > 0:
            self._new_lots(posted, account.pk)
            made = [lot for lot in self.lots.values() if lot.made_by == posted.pk]
            assert len(made) == 1
            lot = made[0]
            if account.lot_type == names.GIFT_CARDS:  # CARD Act: 5 years, and a load extends earlier lots
                if expires_at is not None:
                    assert lot.expires_at == max(expires_at, max(effective_from or self.now, self.now)
                                                 + timedelta(days=1826))
                for earlier in self._account_lots(account.pk):
                    if (earlier is lot or earlier.category != lot.category or earlier.remaining <= 0
                            or earlier.expires_at is None or earlier.expires_at <= self.now):
                        continue
                    if lot.expires_at is None or earlier.expires_at < lot.expires_at:
                        earlier.expires_at = lot.expires_at
            else:
                assert (lot.effective_from, lot.expires_at) == (effective_from, expires_at)
            assert lot.category == (category or ("promotional" if promotional_source else "paid"))
        self.reversible.append([posted, amount, (source.pk, account.pk)])
        self.done["credit"] += 1

    @rule(data=st.data(), amount=AMOUNTS)
    def debit(self, data, amount):
        account = data.draw(st.sampled_from(self.customers))
        plan = None if self._account_refuses(account.pk, amount) else self._debit_plan(account.pk, amount)
        if plan is None and not self._account_refuses(account.pk, amount):
            self.done["debit refused: the lots usable now cannot cover it"] += 1
        posted = self._attempt(exc.InsufficientFunds if plan is None else None,
                               lambda: facade.transfer(account, self.redemptions, amount))
        if posted is not None:
            self.done["debit"] += 1
            self._spend(posted, account.pk, self.redemptions.pk, amount, plan)
            self.reversible.append([posted, amount, (account.pk, self.redemptions.pk)])

    def _spend(self, posted, source_pk, destination_pk, amount, plan):
        for lot, taken in plan:
            lot.remaining -= taken
        self.takes[posted.pk] = [(lot.pk, taken) for lot, taken in plan]
        self.balance[source_pk] -= amount
        self.balance[destination_pk] += amount

    @precondition(lambda self: self.reversible)
    @rule(data=st.data(), fraction=st.sampled_from([None, D("0.5"), D("0.01")]))
    def reverse(self, data, fraction):
        entry = data.draw(st.sampled_from(self.reversible))
        original, left, (source_pk, destination_pk) = entry
        amount = left if fraction is None else max((left * fraction).quantize(D("0.01")), D("0.01"))
        if left <= 0:
            self._attempt(exc.ReversalNotPermitted, lambda: facade.reverse(original, amount=amount))
            return
        # The reversal debits the original's destination and credits its source.
        plan = []
        if destination_pk in (c.pk for c in self.customers):
            plan = None if self._account_refuses(destination_pk, amount) else self._debit_plan(
                destination_pk, amount, prefer=original.pk)
        reversal = self._attempt(exc.InsufficientFunds if plan is None else None,
                                 lambda: facade.reverse(original, amount=None if fraction is None else amount))
        if reversal is None:
            return
        entry[1] -= amount
        self.done["reversal"] += 1
        self._spend(reversal, destination_pk, source_pk, amount, plan)
        if source_pk in (c.pk for c in self.customers):
            self._give_back(original, reversal, source_pk, amount)

    def _give_back(self, original, reversal, account_pk, amount):
        credit = min(amount, max(self.balance[account_pk], D(0)))
        given = self.restored.setdefault(original.pk, {})
        owed = {}
        for lot_pk, taken in self.takes.get(original.pk, []):
            owed.setdefault(lot_pk, D(0))
            owed[lot_pk] += taken
        order = list(reversed(list(owed)))  # the last taken first
        plan, got = self._plan([(self.lots[pk], owed[pk] - given.get(pk, D(0))) for pk in order
                                if owed[pk] - given.get(pk, D(0)) > 0], credit)
        for lot, share in plan:
            lot.remaining += share
            given[lot.pk] = given.get(lot.pk, D(0)) + share
        if credit - got > 0:
            self._new_lots(reversal, account_pk)
            made = [lot for lot in self.lots.values() if lot.made_by == reversal.pk]
            assert [lot.remaining for lot in made] == [credit - got] and made[0].category == "refund"
        for lot, share in plan:  # given back to a lot that has expired: lapses at once
            if lot.expires_at is not None and lot.expires_at <= self.now:
                lot.remaining -= share
                self.balance[account_pk] -= share
                self.balance[self.lapsed.pk] += share

    @rule(data=st.data(), amount=AMOUNTS)
    def hold(self, data, amount):
        account = data.draw(st.sampled_from(self.customers))
        plan = None
        if not self._account_refuses(account.pk, amount):
            need = min(amount, max(self.balance[account.pk] - self.held[account.pk], D(0)))
            plan, got = self._plan([(lot, lot.remaining - lot.held) for lot in self._free_usable(account.pk)], need)
            plan = plan if got >= need else None
        placed = self._attempt(exc.InsufficientFunds if plan is None else None,
                               lambda: facade.hold(account, self.redemptions, amount, expires_at=self.now + HOLD_LIFE))
        if placed is not None:
            self.done["hold"] += 1
            for lot, reserved in plan:
                lot.held += reserved
            self.held[account.pk] += amount
            self.holds.append([placed, [(lot.pk, reserved) for lot, reserved in plan], "PENDING"])

    def _release(self, entry):
        placed, reserved, _status = entry
        for lot_pk, amount in reserved:
            self.lots[lot_pk].held -= amount
        self.held[placed.source_id] -= placed.amount

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), partial=st.booleans())
    def capture(self, data, partial):
        entry = data.draw(st.sampled_from(self.holds))
        placed, reserved, status = entry
        amount = max((placed.amount / 2).quantize(D("0.01")), D("0.01")) if partial else placed.amount
        if status != "PENDING":
            self._attempt(exc.HoldNotPending, lambda: facade.capture(placed, amount=amount))
            return
        if placed.expires_at <= self.now:
            self._attempt(exc.HoldExpired, lambda: facade.capture(placed, amount=amount))
            return
        pk = placed.source_id
        self._release(entry)
        plan = self._debit_plan(pk, amount, reserved=reserved, capturing=placed.pk)
        posted = self._attempt(exc.InsufficientFunds if plan is None else None,
                               lambda: facade.capture(placed, amount=amount))
        if posted is None:  # nothing changed: the hold still reserves its lots
            for lot_pk, reserved_amount in reserved:
                self.lots[lot_pk].held += reserved_amount
            self.held[pk] += placed.amount
            return
        self._unreserve()
        entry[2] = "CAPTURED"
        self.done["capture"] += 1
        self._spend(posted, pk, self.redemptions.pk, amount, plan)
        self.reversible.append([posted, amount, (pk, self.redemptions.pk)])

    @precondition(lambda self: self.holds)
    @rule(data=st.data())
    def void(self, data):
        entry = data.draw(st.sampled_from(self.holds))
        if entry[2] == "CAPTURED":
            self._attempt(exc.HoldNotPending, lambda: facade.void(entry[0]))
            return
        facade.void(entry[0])
        if entry[2] == "PENDING":
            self._release(entry)
            entry[2] = "VOIDED"

    @rule(hours=st.integers(min_value=1, max_value=48))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)
        self.frozen.move_to(self.now)

    @rule()
    def sweep(self):
        released = expire_holds()
        expected_released = 0
        for entry in self.holds:
            if entry[2] == "PENDING" and entry[0].expires_at <= self.now:
                self._release(entry)
                entry[2] = "EXPIRED"
                expected_released += 1
        assert released == expected_released
        swept = expire_lots()
        expected = []
        for lot in sorted(self.lots.values(), key=lambda lot: lot.pk):
            free = lot.remaining - lot.held
            if lot.expires_at is not None and lot.expires_at <= self.now and free > 0:
                expected.append((lot.pk, free))
                lot.remaining -= free
                self.balance[lot.account] -= free
                self.balance[self.lapsed.pk] += free
        assert [(lot.pk, amount) for lot, amount in swept.lapsed] == expected
        self.done["expiry"] += len(expected)

    # -- invariants --------------------------------------------------------------------------
    @invariant()
    def database_agrees_with_the_model(self):
        for pk, balance, held in Account.objects.filter(pk__in=self.balance).values_list("pk", "balance", "held"):
            assert (balance, held) == (self.balance[pk], self.held[pk]), pk
        rows = {pk: (remaining, held) for pk, remaining, held in Lot.objects.values_list("pk", "remaining", "held")}
        assert rows == {pk: (lot.remaining, lot.held) for pk, lot in self.lots.items()}

    @invariant()
    def every_reconciliation_check_passes(self):
        health = ledger_health()
        assert health.ok, [(c.code, c.examples) for c in health.checks if not c.ok]


@pytest.mark.django_db
@override_settings(ACCOUNTS_LOT_POLICIES={"gift_cards": {"min_life_days": 1826, "extend_on_load": True}})
def test_random_lot_operations_keep_every_invariant(chart):
    LotsMachine.done.clear()
    run_state_machine_as_test(
        # derandomize: the same 50 runs every time, so the check below that all six operations
        # happened cannot pass or fail by the luck of a seed (CI once drew a run with no capture)
        LotsMachine, settings=hsettings(max_examples=50, stateful_step_count=40, deadline=None, derandomize=True)
    )
    # The criterion's six operations all happened (and succeeded). Debits the balance allows but the
    # lots usable now cannot cover (not yet effective, expired and unswept) are predicted by the model
    # when a run makes them (counted here; test_lots.py has them by name).
    done = LotsMachine.done
    assert all(done[op] > 0 for op in ("credit", "debit", "hold", "capture", "reversal", "expiry")), done
