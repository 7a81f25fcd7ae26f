"""A paid order issues a card per gift-card unit, funded as deferred income, and e-mails it."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger import core
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.selectors.health import ledger_health
from headless_store.ledger.selectors.reports import deferred_income_report, profit_loss_report
from headless_store.ledger.services.giftcards import issue_gift_card
from headless_store.loyalty.models import LoyaltyAccrual
from tests.checkout.test_card_checkout import pay as pay_card
from tests.checkout.test_card_checkout import start
from tests.checkout.test_pay import pay, source
from tests.factories import AccountFactory
from tests.tasks import run_tasks

from .conftest import add_gift_card
from .helpers import code_in, redeem

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


@pytest.fixture
def wallet(chart, customer):
    return AccountFactory(name="Wallet", primary_user=customer, funded=D("200.00"))


def test_paying_from_a_wallet_issues_the_card_from_redemptions_not_revenue(api, customer, wallet, gift_cards,
                                                                            products, country):
    redemptions = core.redemptions_account("GBP")
    before = redemptions.balance
    add_gift_card(api, gift_cards["50"], recipient_name="Bob", recipient_email="bob@example.com")
    api.add_product(products["kettle"])
    result = pay(api, api.basket()["id"], [source(wallet)])
    assert result["errors"] == [], result
    sale = GiftCardSale.objects.get()
    card = Account.objects.get(pk=sale.account_id)
    assert (sale.amount, card.balance, card.account_type.code) == (D("50.00"), D("50.00"), "gift_cards")
    assert (sale.recipient_email, sale.recipient_name, sale.buyer) == ("bob@example.com", "Bob", customer)
    # The wallet paid 95.00 into Redemptions; 50.00 of it is the card's, so revenue is the kettle's 45.00.
    assert Account.objects.get(pk=redemptions.pk).balance - before == D("45.00")
    funding = Transfer.objects.get(destination=card)
    assert (funding.source_id, funding.merchant_reference) == (redemptions.pk, f"{sale.order.number}/gift-cards")
    assert ledger_health().ok


def test_paying_by_card_funds_the_card_from_the_bank(api, gift_cards, country, chart):
    bank = core.bank_account("GBP")
    add_gift_card(api, gift_cards["25"], quantity=2)
    checkout = start(api, api.basket()["id"])["checkout"]
    assert pay_card(api, checkout["id"])["checkout"]["status"] == "PAID"
    sales = list(GiftCardSale.objects.order_by("pk"))
    assert [s.amount for s in sales] == [D("25.00"), D("25.00")]
    assert Account.objects.get(pk=bank.pk).balance == bank.balance - D("50.00")  # money in, by card
    assert {Transfer.objects.get(destination_id=s.account_id).source_id for s in sales} == {bank.pk}
    # Deferred income shows the two cards; the P&L counts the sale as money in, not income.
    today = timezone.localdate()
    gift_row = next(r for r in deferred_income_report(today).rows if r.account_type == "Gift cards")
    assert gift_row.total == D("50.00")
    report = profit_loss_report(today, today, "GBP")
    assert (report.lines["loaded_from_bank"], report.net) == (D("50.00"), D("0"))
    assert ledger_health().ok


def test_a_split_payment_funds_the_card_from_both(api, customer, gift_cards, country, chart):
    small = AccountFactory(name="Small wallet", primary_user=customer, funded=D("10.00"))
    add_gift_card(api, gift_cards["25"])
    checkout = start(api, api.basket()["id"], [source(small)])["checkout"]
    assert pay_card(api, checkout["id"])["checkout"]["status"] == "PAID"
    sale = GiftCardSale.objects.get()
    parts = {t.source.name: t.amount for t in Transfer.objects.filter(destination_id=sale.account_id)}
    assert parts == {"Redemptions": D("10.00"), "Bank": D("15.00")}
    assert Account.objects.get(pk=sale.account_id).balance == D("25.00")


def test_the_card_is_emailed_to_the_recipient_who_redeems_it(api, wallet, gift_cards, country, other_customer):
    add_gift_card(api, gift_cards["50"], recipient_name="Bob", recipient_email="Bob@Example.com",
                  message="Happy birthday, Bob!")
    pay(api, api.basket()["id"], [source(wallet)])
    assert mail.outbox == []  # nothing is sent inside the payment
    run_tasks()
    card_mail, buyer_mail = mail.outbox
    assert card_mail.to == ["bob@example.com"]
    assert "Happy birthday, Bob!" in card_mail.body and "50.00 GBP" in card_mail.body
    code = code_in(card_mail)
    assert buyer_mail.to == [wallet.primary_user.email]
    assert "bob@example.com" in buyer_mail.body and code not in buyer_mail.body
    sale = GiftCardSale.objects.get()
    assert sale.status == "SENT" and sale.sent_at is not None
    assert [d.status for d in sale.deliveries.all()] == ["SENT"]
    redeemed = redeem(other_customer, code)
    assert redeemed["errors"] == [] and redeemed["amount"]["amount"] == "50.00"


def test_no_recipient_email_sends_the_card_to_the_buyer(api, customer, wallet, gift_cards, country):
    add_gift_card(api, gift_cards["25"])
    pay(api, api.basket()["id"], [source(wallet)])
    run_tasks()
    assert [m.to for m in mail.outbox] == [[customer.email]]  # the card itself; no separate note
    assert code_in(mail.outbox[0])


def test_a_dated_card_waits_for_its_day(api, wallet, gift_cards, country):
    day = timezone.localdate() + dt.timedelta(days=5)
    add_gift_card(api, gift_cards["25"], recipient_email="bob@example.com", deliver_on=day.isoformat())
    pay(api, api.basket()["id"], [source(wallet)])
    run_tasks()
    assert mail.outbox == [] and GiftCardSale.objects.get().status == "SCHEDULED"
    from freezegun import freeze_time

    with freeze_time(timezone.make_aware(dt.datetime.combine(day, dt.time(0, 1)))):
        run_tasks()
    assert mail.outbox[0].to == ["bob@example.com"]
    assert GiftCardSale.objects.get().status == "SENT"


def test_gift_card_lines_earn_no_points(api, customer, wallet, gift_cards, products, country):
    add_gift_card(api, gift_cards["50"])
    api.add_product(products["kettle"])
    pay(api, api.basket()["id"], [source(wallet)])
    run_tasks()
    accrual = LoyaltyAccrual.objects.get()
    assert (accrual.basis, accrual.earned) == (D("45.00"), D("2.25"))  # the kettle's 45.00 at 5%


def test_a_gift_card_cannot_pay_for_gift_cards(api, gift_cards, products, country, chart):
    card = issue_gift_card(amount=D("100.00"), currency="GBP")
    add_gift_card(api, gift_cards["25"])
    api.add_product(products["kettle"])
    result = pay(api, api.basket()["id"], [{"code": card.code}])
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("payments.0", "INVALID")]
    assert "cannot pay for gift cards" in result["errors"][0]["message"]
    assert (Order.objects.count(), GiftCardSale.objects.count()) == (0, 0)
    assert Account.objects.get(pk=card.account.pk).balance == D("100.00")


def test_a_setting_lets_gift_cards_pay_for_gift_cards(api, gift_cards, country, chart, settings):
    settings.GIFT_CARD_PAY_FOR_GIFT_CARDS = True
    card = issue_gift_card(amount=D("100.00"), currency="GBP")
    add_gift_card(api, gift_cards["25"])
    result = pay(api, api.basket()["id"], [{"code": card.code}])
    assert result["errors"] == []
    sale = GiftCardSale.objects.get()
    assert Account.objects.get(pk=sale.account_id).balance == D("25.00")
    assert Transfer.objects.get(destination_id=sale.account_id).source == core.redemptions_account("GBP")


def test_gift_cards_still_pay_for_other_baskets(api, products, country, chart):
    card = issue_gift_card(amount=D("100.00"), currency="GBP")
    api.add_product(products["kettle"])
    assert pay(api, api.basket()["id"], [{"code": card.code}])["errors"] == []


def test_a_guest_buys_a_card_for_a_friend(guest_api, gift_cards, country, chart):
    add_gift_card(guest_api, gift_cards["25"], recipient_email="friend@example.com")
    checkout = start(guest_api, guest_api.basket()["id"], guestEmail="guest@example.com")["checkout"]
    assert pay_card(guest_api, checkout["id"])["checkout"]["status"] == "PAID"
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["friend@example.com", "guest@example.com"]
    assert GiftCardSale.objects.get().buyer is None


def test_issuing_happens_once_per_order(api, wallet, gift_cards, country):
    from headless_store.giftcard_sales.services import issue_for_order

    add_gift_card(api, gift_cards["25"])
    pay(api, api.basket()["id"], [source(wallet)])
    order = Order.objects.get()
    assert issue_for_order(order) == list(GiftCardSale.objects.filter(order=order))
    assert GiftCardSale.objects.count() == 1
