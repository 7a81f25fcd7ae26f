"""Oscar's server-rendered checkout paid from the ledger (headless_store/checkout/classic.py):
accounts and gift-card codes held at the payment step, captured with the order's placement,
the rest by card; a failed placement or a walk-away leaves nothing taken; classic orders earn
points and can be refunded like headless ones."""
from decimal import Decimal as D

import pytest
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories.offer import RangeFactory

from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.checkout.refunds import RefundDestination, refund_order, refundable
from headless_store.ledger import core
from headless_store.ledger.models import Account, Hold, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
PaymentEvent = get_model("order", "PaymentEvent")
ADDRESS = {"first_name": "Ada", "last_name": "Lovelace", "line1": "1 Row", "line4": "London",
           "postcode": "N1 9GU", "country": "GB"}


class Shopper:
    """A customer going through Oscar's checkout pages."""

    def __init__(self, user):
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    def fill_basket(self, product, quantity=1):
        response = self.client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
        assert response.status_code == 302
        response = self.client.post("/checkout/shipping-address/", ADDRESS)
        assert response.status_code == 302, response.content.decode()[-2000:]
        response = self.client.get("/checkout/shipping-method/", follow=True)  # one method: chosen for us
        assert response.redirect_chain[-1][0] == "/checkout/payment-details/"

    def payment_step(self, accounts=(), codes="", card=""):
        return self.client.post("/checkout/preview/", {"accounts": [a.pk for a in accounts], "codes": codes,
                                                       "card_token": card})

    def place_order(self, card=""):
        return self.client.post("/checkout/preview/", {"action": "place_order", "card_token": card})


def balance(account):
    return Account.objects.get(pk=account.pk).balance


@pytest.fixture
def shopper(db):
    return Shopper(UserFactory())


@pytest.fixture
def kettle(products, country):
    return products["kettle"]  # 45.00, free shipping


def test_the_payment_step_lists_usable_accounts_by_what_they_can_spend(chart, shopper, kettle):
    AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("30"))
    other = AccountFactory(name="Not mine", primary_user=UserFactory(), funded=D("30"))
    AccountFactory(name="Empty", primary_user=shopper.user)
    shopper.fill_basket(kettle)
    page = shopper.client.get("/checkout/payment-details/").content.decode()
    assert "Store credit (30.00 GBP available)" in page
    assert "Not mine" not in page and "Empty" not in page
    assert other.pk


def test_gift_card_and_store_credit_pay_the_order(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("30"))
    card = issue_gift_card(amount=D("20"), currency="GBP")
    shopper.fill_basket(kettle)
    preview = shopper.payment_step(accounts=[wallet], codes=card.code)
    assert preview.status_code == 200 and "held" in preview.content.decode()
    assert Account.objects.get(pk=wallet.pk).held == D("30")  # held, not taken
    assert balance(wallet) == D("30") and not Order.objects.exists()
    done = shopper.place_order()
    assert done.status_code == 302 and done["Location"].endswith("/checkout/thank-you/")
    order = Order.objects.get()
    assert order.total_incl_tax == D("45.00") and order.user == shopper.user
    assert balance(wallet) == D("0") and balance(card.account) == D("5")
    paid = Transfer.objects.filter(merchant_reference=order.number, destination=core.redemptions_account())
    assert sorted(t.amount for t in paid) == [D("15.00"), D("30.00")]
    assert not Hold.objects.filter(status=Hold.Status.PENDING).exists()
    source = order.sources.get(source_type__name="Accounts")
    assert source.amount_allocated == source.amount_debited == D("45.00")
    assert PaymentEvent.objects.filter(order=order, event_type__name="Paid from account").count() == 2
    assert Basket.objects.get(pk=order.basket_id).status == Basket.SUBMITTED
    assert ledger_health().ok


def test_the_rest_by_card(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("10"))
    shopper.fill_basket(kettle)
    assert shopper.payment_step(accounts=[wallet], card="4242 4242 4242 4242").status_code == 200
    done = shopper.place_order(card="4242 4242 4242 4242")
    assert done.status_code == 302, done.content.decode()[-3000:]
    order = Order.objects.get()
    checkout = CardCheckout.objects.get(order=order)
    assert checkout.status == CardCheckout.Status.PAID and checkout.card_amount == D("35.00")
    run_tasks()  # the card's capture
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.CAPTURED
    assert balance(wallet) == D("0")
    left = refundable(order)
    assert left[RefundDestination.CARD] == D("35.00") and left[RefundDestination.ACCOUNTS] == D("10.00")


def test_nothing_covering_the_rest_is_refused_at_the_payment_step(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("10"))
    shopper.fill_basket(kettle)
    page = shopper.payment_step(accounts=[wallet]).content.decode()
    assert "35.00 GBP is still due" in page
    assert not Hold.objects.exists()


def test_a_wrong_code_is_shown_next_to_the_codes(chart, shopper, kettle):
    shopper.fill_basket(kettle)
    page = shopper.payment_step(codes="NOPE-NOPE-NOPE-NOPE", card="4242424242424242").content.decode()
    assert "field-error" in page and not Hold.objects.exists()


def test_a_declined_card_takes_nothing_and_keeps_the_basket(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("10"))
    shopper.fill_basket(kettle)
    shopper.payment_step(accounts=[wallet], card="4000 0000 0000 0002")
    page = shopper.place_order(card="4000 0000 0000 0002")
    assert page.status_code == 200 and "declined" in page.content.decode()
    assert not Order.objects.exists() and balance(wallet) == D("10")
    assert Account.objects.get(pk=wallet.pk).held == D("10")  # still held for another try
    assert Basket.objects.get(owner=shopper.user).status == Basket.OPEN


def test_placement_failing_takes_nothing(chart, shopper, kettle):
    """The account is frozen between the preview and the order: the capture is refused inside
    the order's transaction, the order rolls back, the holds and the card are released."""
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("10"))
    shopper.fill_basket(kettle)
    shopper.payment_step(accounts=[wallet], card="4242 4242 4242 4242")
    Account.objects.filter(pk=wallet.pk).update(status=Account.FROZEN)
    page = shopper.place_order(card="4242 4242 4242 4242")
    assert page.status_code == 200
    assert not Order.objects.exists() and not CardCheckout.objects.exists()
    fresh = Account.objects.get(pk=wallet.pk)
    assert fresh.balance == D("10") and fresh.held == D("0")
    assert SandboxCharge.objects.get().status == SandboxCharge.Status.VOIDED
    assert Basket.objects.get(owner=shopper.user).status == Basket.OPEN
    assert ledger_health().ok


def test_an_expired_hold_is_not_taken(chart, shopper, kettle, settings):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("45"))
    shopper.fill_basket(kettle)
    shopper.payment_step(accounts=[wallet])
    Hold.objects.update(expires_at="2000-01-01T00:00:00Z")
    page = shopper.place_order()
    assert "released" in page.content.decode() and not Order.objects.exists()
    assert balance(wallet) == D("45")


@pytest.mark.parametrize("change", ["swap_for_a_product_out_of_range", "more_of_the_same"])
def test_a_basket_changed_in_another_tab_after_the_payment_step_takes_nothing(chart, shopper, products, country,
                                                                               change):
    """The holds were allocated for the basket at the payment step: changed before the order is
    placed (a red team swapped the filters a filters-only voucher held for for a kettle, and the
    voucher paid for the kettle), they are released and nothing is taken."""
    filters, kettle = products["filters"], products["kettle"]
    voucher = AccountFactory(name="Filters voucher", primary_user=shopper.user, funded=D("30"),
                             product_range=RangeFactory(products=[filters]), can_be_used_for_non_products=False)
    shopper.fill_basket(filters, quantity=2)
    shopper.payment_step(accounts=[voucher])
    assert Account.objects.get(pk=voucher.pk).held == D("9.98")
    line = Basket.objects.get(owner=shopper.user, status=Basket.OPEN).lines.get()
    if change == "swap_for_a_product_out_of_range":
        shopper.client.post("/basket/", {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0,
                                         "form-MAX_NUM_FORMS": 1000, "form-0-id": line.pk, "form-0-quantity": 0})
        assert shopper.client.post(f"/basket/add/{kettle.pk}/", {"quantity": 1}).status_code == 302
    else:
        assert shopper.client.post(f"/basket/add/{filters.pk}/", {"quantity": 1}).status_code == 302

    page = shopper.place_order(card="4242 4242 4242 4242")

    assert "basket changed" in page.content.decode() and not Order.objects.exists()
    assert balance(voucher) == D("30") and Account.objects.get(pk=voucher.pk).held == 0
    assert not SandboxCharge.objects.exists() and ledger_health().ok


def test_a_second_payment_step_releases_the_first_holds(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("45"))
    shopper.fill_basket(kettle)
    shopper.payment_step(accounts=[wallet])
    shopper.payment_step(accounts=[wallet])
    assert Hold.objects.filter(status=Hold.Status.PENDING).count() == 1
    assert Account.objects.get(pk=wallet.pk).held == D("45")


def test_classic_orders_earn_points_and_refund_like_headless_ones(chart, shopper, kettle):
    wallet = AccountFactory(name="Store credit", primary_user=shopper.user, funded=D("45"))
    shopper.fill_basket(kettle)
    shopper.payment_step(accounts=[wallet])
    shopper.place_order()
    run_tasks()
    order = Order.objects.get()
    points = Account.objects.get(primary_user=shopper.user, account_type__code="loyalty_points")
    assert points.balance + points.held == D("2.25")  # 5% of 45.00, as for a headless order
    staff = UserFactory(is_staff=True)
    refund_order(order=order, staff=staff, destination=RefundDestination.ACCOUNTS, amount="45.00")
    assert balance(wallet) == D("45") and ledger_health().ok
