"""Credit lots: made by credits, spent in a fixed order, given back by reversals, lapsed on expiry."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from freezegun import freeze_time

from headless_store.ledger import core, exceptions, facade, lots, names
from headless_store.ledger.models import Account, Hold, Lot, LotEntry, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.expiry import close_expired_accounts, expire_lots
from tests.factories import AccountFactory, UserFactory

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def days(n):
    return NOW + timedelta(days=n)


def remaining(account):
    return [(lot.category, lot.remaining) for lot in Lot.objects.filter(account=account).order_by("id")]


def taken(transfer):
    """Which lots a transfer's leg used, as (lot id, amount), in the order they were taken."""
    return list(LotEntry.objects.filter(transfer=transfer).order_by("id").values_list("lot_id", "amount"))


def assert_reconciles():
    health = ledger_health()
    assert health.ok, [(c.code, c.examples) for c in health.checks if not c.ok]


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


@pytest.fixture
def wallet(chart, frozen):
    return AccountFactory(primary_user=UserFactory())


def credit(account, amount, **terms):
    source = terms.pop("source", None) or core.bank_account(account.currency)
    return facade.transfer(source, account, D(amount), lot=lots.Credit(**terms) if terms else None)


class TestWhichAccountsKeepLots:
    def test_customer_owned_types_keep_lots_core_and_b2b_do_not(self, chart):
        assert AccountFactory(type_code=names.STORE_CREDIT).lot_type == names.STORE_CREDIT
        assert AccountFactory(type_code=names.GIFT_CARDS).lot_type == names.GIFT_CARDS
        assert AccountFactory(type_code=names.B2B_PREPAID).lot_type is None
        assert core.bank_account().lot_type is None
        assert core.redemptions_account().lot_type is None

    def test_a_credit_into_a_core_account_makes_no_lot(self, chart, bank, redemptions):
        facade.transfer(bank, redemptions, D("5"))
        assert not Lot.objects.exists()


class TestCategories:
    @pytest.mark.parametrize("type_code, source, category", [
        (names.STORE_CREDIT, "bank", "paid"),
        (names.GIFT_CARDS, "bank", "paid"),
        (names.LOYALTY_POINTS, "promotions", "points"),
        (names.REFUND_WALLETS, "bank", "refund"),
        (names.STORE_CREDIT, "promotions", "promotional"),
        (names.STORE_CREDIT, "redemptions", "refund"),
    ])
    def test_default_category_by_account_type_and_source(self, chart, frozen, type_code, source, category):
        account = AccountFactory(type_code=type_code)
        origin = getattr(core, f"{source}_account")("GBP")
        if source == "redemptions":
            facade.transfer(core.bank_account(), origin, D("10"))
        facade.transfer(origin, account, D("10"))
        assert remaining(account) == [(category, D("10"))]

    def test_the_caller_chooses_the_category_and_clock(self, wallet):
        posted = credit(wallet, "12.00", category="promotional", effective_from=days(1), expires_at=days(30))
        lot = Lot.objects.get(account=wallet)
        assert (lot.category, lot.amount, lot.remaining, lot.transfer_id) == ("promotional", D("12"), D("12"), posted.pk)
        assert (lot.effective_from, lot.expires_at) == (days(1), days(30))

    @pytest.mark.parametrize("terms, field", [
        ({"category": "bonus"}, "lot.category"),
        ({"expires_at": days(1), "effective_from": days(2)}, "lot.expires_at"),
        ({"expires_at": NOW.replace(tzinfo=None)}, "lot.expires_at"),
    ])
    def test_bad_lot_terms_are_refused_and_nothing_moves(self, wallet, terms, field):
        with pytest.raises(exceptions.InvalidInput) as refused:
            credit(wallet, "5", **terms)
        assert refused.value.field == field
        assert not Transfer.objects.filter(destination=wallet).exists()
        assert not Lot.objects.exists()


class TestSpendingOrder:
    def test_soonest_expiry_then_promotional_before_paid_then_oldest(self, wallet, redemptions):
        never = credit(wallet, "10", category="paid")
        late_paid = credit(wallet, "10", category="paid", expires_at=days(30))
        late_promo = credit(wallet, "10", category="promotional", expires_at=days(30))
        soon = credit(wallet, "10", category="paid", expires_at=days(5))
        older_never = Lot.objects.get(transfer=never)
        younger_never = Lot.objects.get(transfer=credit(wallet, "10", category="paid"))
        paid = facade.transfer(wallet, redemptions, D("45"))
        ids = {t: Lot.objects.get(transfer=t).pk for t in (late_paid, late_promo, soon)}
        assert taken(paid) == [
            (ids[soon], D("-10")), (ids[late_promo], D("-10")), (ids[late_paid], D("-10")),
            (older_never.pk, D("-10")), (younger_never.pk, D("-5")),
        ]
        assert Lot.objects.get(pk=younger_never.pk).remaining == D("5")
        assert_reconciles()

    def test_a_lot_not_yet_effective_cannot_be_spent(self, wallet, redemptions, frozen):
        credit(wallet, "20", effective_from=days(3))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(wallet, redemptions, D("5"))
        assert Account.objects.get(pk=wallet.pk).balance == D("20")
        assert not LotEntry.objects.exists()
        frozen.move_to(days(3))
        facade.transfer(wallet, redemptions, D("5"))
        assert remaining(wallet) == [("paid", D("15"))]
        assert_reconciles()

    def test_an_expired_lot_is_not_spent_before_the_sweep(self, wallet, redemptions, frozen):
        credit(wallet, "20", expires_at=days(3))
        credit(wallet, "5")
        frozen.move_to(days(4))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(wallet, redemptions, D("6"))
        paid = facade.transfer(wallet, redemptions, D("5"))
        assert [amount for _, amount in taken(paid)] == [D("-5")]
        assert_reconciles()

    def test_spending_costs_the_same_however_many_lots_were_used_up(self, wallet, redemptions):
        def statements():
            credit(wallet, "1")
            with CaptureQueriesContext(connection) as captured:
                facade.transfer(wallet, redemptions, D("1"))
            return [q["sql"].split()[0].upper() for q in captured.captured_queries]

        first = statements()
        for _ in range(40):
            credit(wallet, "1")
            facade.transfer(wallet, redemptions, D("1"))
        assert statements() == first
        # the lots are chosen, recorded and applied in one statement on PostgreSQL (an INSERT ...
        # SELECT in a WITH that also UPDATEs the lots; the transfer and its event are another WITH,
        # the second balance's UPDATE and the legs a third); elsewhere an INSERT ... SELECT and one UPDATE
        if connection.vendor == "postgresql":
            assert first.count("UPDATE") == 1 and first.count("WITH") == 3
        else:
            assert first.count("UPDATE") == 3


class TestReversals:
    def test_a_reversal_gives_back_to_the_lots_it_took_from(self, wallet, redemptions):
        a = credit(wallet, "10", category="promotional", expires_at=days(10))
        b = credit(wallet, "10", category="paid")
        paid = facade.transfer(wallet, redemptions, D("15"))
        facade.reverse(paid)
        assert [lot.remaining for lot in Lot.objects.filter(transfer__in=[a, b]).order_by("id")] == [D("10"), D("10")]
        assert Lot.objects.filter(account=wallet).count() == 2
        assert_reconciles()

    def test_a_partial_reversal_gives_back_the_longest_lived_money_first(self, wallet, redemptions):
        promo = credit(wallet, "10", category="promotional", expires_at=days(10))
        paid_lot = credit(wallet, "10", category="paid")
        paid = facade.transfer(wallet, redemptions, D("15"))
        facade.reverse(paid, amount=D("4"))
        assert remaining(wallet) == [("promotional", D("0")), ("paid", D("9"))]
        facade.reverse(paid, amount=D("4"))
        assert remaining(wallet) == [("promotional", D("3")), ("paid", D("10"))]
        assert {promo.pk, paid_lot.pk} == set(Lot.objects.values_list("transfer_id", flat=True))
        assert_reconciles()

    def test_the_share_of_an_expired_lot_goes_to_lapsed(self, wallet, redemptions, frozen):
        credit(wallet, "10", category="promotional", expires_at=days(10))
        credit(wallet, "10", category="paid")
        paid = facade.transfer(wallet, redemptions, D("15"))
        frozen.move_to(days(11))
        facade.reverse(paid)  # 5 left + 15 given back - 10 lapsed
        assert Account.objects.get(pk=wallet.pk).balance == D("10")
        assert core.lapsed_account().balance == D("10")
        lapse = Transfer.objects.get(destination=core.lapsed_account())
        assert [kind for kind in LotEntry.objects.filter(transfer=lapse).values_list("kind", flat=True)] == ["LAPSE"]
        assert_reconciles()

    def test_reversing_a_top_up_takes_back_its_own_lot(self, wallet):
        credit(wallet, "10", category="paid", expires_at=days(5))
        top_up = credit(wallet, "10", category="paid")
        facade.reverse(top_up)
        assert [lot.remaining for lot in Lot.objects.filter(account=wallet).order_by("id")] == [D("10"), D("0")]
        assert_reconciles()


class TestExpiry:
    def test_each_expired_lot_lapses_on_its_own(self, wallet, frozen):
        credit(wallet, "10", expires_at=days(5))
        credit(wallet, "7", category="promotional", expires_at=days(8))
        credit(wallet, "3")
        frozen.move_to(days(6))
        sweep = expire_lots()
        assert [(lot.category, amount) for lot, amount in sweep.lapsed] == [("paid", D("10"))]
        account = Account.objects.get(pk=wallet.pk)
        assert (account.balance, account.status) == (D("10"), Account.Status.OPEN)
        assert core.lapsed_account().balance == D("10")
        lapse = Transfer.objects.get(destination=core.lapsed_account())
        assert taken(lapse) == [(Lot.objects.get(amount=D("10")).pk, D("-10"))]
        assert expire_lots().lapsed == []  # once per lot
        assert_reconciles()

    def test_a_held_part_lapses_once_the_hold_ends(self, wallet, redemptions, frozen):
        credit(wallet, "10", expires_at=days(5))
        placed = facade.hold(wallet, redemptions, D("4"), expires_at=days(9))
        frozen.move_to(days(6))
        assert [amount for _, amount in expire_lots().lapsed] == [D("6")]
        facade.void(placed)
        assert [amount for _, amount in expire_lots().lapsed] == [D("4")]
        assert Account.objects.get(pk=wallet.pk).balance == 0
        assert_reconciles()

    def test_a_frozen_accounts_lots_are_left_for_staff(self, wallet, frozen):
        credit(wallet, "10", expires_at=days(5))
        wallet.freeze()
        frozen.move_to(days(6))
        sweep = expire_lots()
        assert sweep.lapsed == [] and len(sweep.skipped) == 1
        assert_reconciles()

    def test_an_expired_account_still_lapses_as_a_whole(self, chart, frozen):
        account = AccountFactory(end_date=days(2))
        credit(account, "10", expires_at=days(20))
        credit(account, "5", effective_from=days(10))
        frozen.move_to(days(3))
        sweep = close_expired_accounts()
        assert [amount for _, amount in sweep.closed] == [D("15")]
        assert remaining(account) == [("paid", D("0")), ("paid", D("0"))]
        assert_reconciles()


class TestHolds:
    def test_a_hold_reserves_lots_and_its_capture_spends_them(self, wallet, redemptions):
        soon = credit(wallet, "10", expires_at=days(5))
        credit(wallet, "10")
        placed = facade.hold(wallet, redemptions, D("12"))
        reserved = list(LotEntry.objects.filter(hold=placed).values_list("amount", flat=True))
        assert reserved == [D("10"), D("2")]
        assert list(Lot.objects.order_by("id").values_list("held", flat=True)) == [D("10"), D("2")]
        with pytest.raises(exceptions.InsufficientFunds):
            facade.transfer(wallet, redemptions, D("9"))
        captured = facade.capture(placed, amount=D("11"))
        assert [amount for _, amount in taken(captured)] == [D("-10"), D("-1")]
        assert list(Lot.objects.order_by("id").values_list("remaining", "held")) == [(D("0"), D("0")), (D("9"), D("0"))]
        assert Lot.objects.get(transfer=soon).remaining == 0
        assert_reconciles()

    def test_a_capture_after_the_lot_expired_spends_what_was_reserved(self, wallet, redemptions, frozen):
        credit(wallet, "10", expires_at=days(5))
        placed = facade.hold(wallet, redemptions, D("10"), expires_at=days(9))
        frozen.move_to(days(6))
        facade.capture(placed)
        assert Account.objects.get(pk=wallet.pk).balance == 0
        assert_reconciles()

    def test_void_releases_the_lots(self, wallet, redemptions):
        credit(wallet, "10")
        placed = facade.hold(wallet, redemptions, D("7"))
        facade.void(placed)
        assert Lot.objects.get().held == 0
        assert Hold.objects.get().status == Hold.Status.VOIDED
        facade.transfer(wallet, redemptions, D("10"))
        assert_reconciles()

    def test_a_hold_on_lots_not_yet_effective_is_refused(self, wallet, redemptions):
        credit(wallet, "10", effective_from=days(2))
        with pytest.raises(exceptions.InsufficientFunds):
            facade.hold(wallet, redemptions, D("5"))
        assert not Hold.objects.exists()
        assert Account.objects.get(pk=wallet.pk).held == 0


class TestBetweenCustomerAccounts:
    @override_settings(ACCOUNTS_LOT_POLICIES={})
    def test_money_moved_between_customer_accounts_keeps_its_category_and_clock(self, wallet):
        card = AccountFactory(type_code=names.GIFT_CARDS)
        credit(card, "10", category="promotional", expires_at=days(40))
        credit(card, "10", category="paid")
        moved = facade.transfer(card, wallet, D("15"))
        assert list(Lot.objects.filter(account=wallet).values_list("category", "amount", "expires_at")) == [
            ("promotional", D("10"), days(40)), ("paid", D("5"), None)]
        facade.reverse(moved)
        assert remaining(wallet) == [("promotional", D("0")), ("paid", D("0"))]
        assert remaining(card) == [("promotional", D("10")), ("paid", D("10"))]
        assert_reconciles()


class TestPolicies:
    @override_settings(ACCOUNTS_LOT_POLICIES={"gift_cards": {"min_life_days": 1826, "extend_on_load": True}})
    def test_gift_card_lots_live_five_years_from_the_last_load(self, chart, frozen):
        card = AccountFactory(type_code=names.GIFT_CARDS)
        credit(card, "10", expires_at=days(30))
        assert Lot.objects.get().expires_at == days(1826)
        frozen.move_to(days(400))
        credit(card, "10", expires_at=days(500))
        assert list(Lot.objects.order_by("id").values_list("expires_at", flat=True)) == [days(2226), days(2226)]
        assert_reconciles()

    @override_settings(ACCOUNTS_LOT_POLICIES={})
    def test_without_a_policy_the_callers_expiry_stands(self, chart, frozen):
        card = AccountFactory(type_code=names.GIFT_CARDS)
        credit(card, "10", expires_at=days(30))
        credit(card, "10", expires_at=days(60))
        assert list(Lot.objects.order_by("id").values_list("expires_at", flat=True)) == [days(30), days(60)]

    @override_settings(ACCOUNTS_LOT_POLICIES={"store_credit": {"extend_on_load": True}})
    def test_extension_leaves_other_categories_alone(self, wallet):
        credit(wallet, "10", category="promotional", expires_at=days(10))
        credit(wallet, "10", category="paid", expires_at=days(20))
        credit(wallet, "10", category="paid", expires_at=days(90))
        assert list(Lot.objects.order_by("id").values_list("expires_at", flat=True)) == [days(10), days(90), days(90)]


class TestReconciliation:
    def test_a_lot_out_of_step_with_the_balance_is_reported(self, wallet):
        credit(wallet, "10")
        Lot.objects.update(remaining=D("9"))
        health = ledger_health()
        failed = {check.code for check in health.checks if not check.ok}
        assert failed == {"lots_sum_to_balance", "lot_entries_add_up"}

    def test_existing_balances_become_one_lot_each(self, wallet):
        """Migration 0006 on an account that had a balance before lots existed."""
        import importlib

        from django.apps import apps

        credit(wallet, "10")
        Lot.objects.all().delete()
        Account.objects.filter(pk=wallet.pk).update(lot_type=None)
        migration = importlib.import_module("headless_store.ledger.migrations.0006_credit_lots")
        migration.balances_to_lots(apps, None)
        assert Account.objects.get(pk=wallet.pk).lot_type == names.STORE_CREDIT
        assert remaining(wallet) == [("paid", D("10"))]
        assert_reconciles()
