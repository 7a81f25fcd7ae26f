"""Every root field of the schema against every kind of caller, read from one policy table.

Callers: anonymous (no session), a guest with a session, customer A on customer B's data, staff
lacking the operation's permission (holding every other one), staff holding it, and a non-staff
user holding every ledger permission (a former staff member still in the group, or a customer
given it by mistake). The test fails if the schema gains a root field it does not cover.
"""
import json
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from oscar.test.factories import create_order, create_product

from accounts_graphql.ids import global_id
from accounts_graphql.schema import schema
from headless_store.checkout.models import SandboxCharge
from headless_store.events.models import WebhookEndpoint
from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.ledger import core, facade
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.permissions import OPERATIONS, PUBLIC_OPERATIONS, rule_for
from headless_store.ledger.services import giftcards as giftcard_services
from tests.checkout import test_card_checkout as checkout_api
from tests.factories import AccountFactory, UserFactory
from tests.tasks import run_tasks

from .conftest import Api, Country

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")

ROLES = ["anonymous", "guest_session", "customer_a", "staff_without", "staff_with", "non_staff_with_perm"]
LEDGER_PERMS = ["view_account", "view_transfer", "manage_accounts", "issue_gift_cards", "move_money",
                "view_reports", "reverse_transfer"]
ALL_PERMS = [f"ledger.{p}" for p in LEDGER_PERMS] + ["events.manage_webhooks", "loyalty.manage_loyalty"]


def root_fields(kind: str) -> set[str]:
    definition = schema.get_type_by_name(kind)
    return {field.python_name for field in definition.fields}


class World:
    """Customer A and B, B's money, and accounts each staff operation can act on."""

    def __init__(self):
        self.alice = UserFactory()
        self.bob = UserFactory()
        self.bob_wallet = AccountFactory(name="Bob wallet", primary_user=self.bob, funded=D("50"))
        self.bob_payment = facade.transfer(self.bob_wallet, core.redemptions_account(), D("5"),
                                           merchant_reference="100001")
        self.bobs_card = giftcard_services.issue_gift_cards(
            staff=None, count=1, amount=D("10"), currency="GBP", primary_user=self.bob,
        ).cards[0]
        self.open_card = giftcard_services.issue_gift_cards(staff=None, count=1, amount=D("10"), currency="GBP").cards[0]
        self.empty = AccountFactory(name="Empty")
        self.frozen = AccountFactory(name="Frozen")
        self.frozen.freeze()
        self.endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
        self.bob_basket = Basket.objects.create(owner=self.bob)
        self.bob_basket.strategy = Selector().strategy()
        self.bob_basket.add_product(create_product(price=D("4.00"), num_in_stock=5))
        # Bob's card checkout, paid: its secret id is what payCardCheckout/cancelCardCheckout take.
        Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "UK", "is_shipping_country": True})
        bob = Client()
        bob.force_login(self.bob)
        bobs_basket = Basket.objects.create(owner=self.bob)
        bobs_basket.strategy = Selector().strategy()
        bobs_basket.add_product(create_product(price=D("6.00"), num_in_stock=5))
        self.bob_checkout = checkout_api.start(Api(bob), bobs_basket.pk)["checkout"]
        checkout_api.pay(Api(bob), self.bob_checkout["id"])
        run_tasks()  # the card's capture
        # A gift card Bob bought (on an order of its own) for resendGiftCard.
        order = create_order(user=self.bob)
        self.bobs_gift = GiftCardSale.objects.create(
            order=order, line=order.lines.first(), account=self.open_card.account, buyer=self.bob, amount=D("10"),
            currency="GBP", recipient_email="friend@example.com", deliver_on=order.date_placed.date())

    def client(self, role: str, operation: str) -> Client:
        client = Client()
        if role == "guest_session":
            assert client.get("/api/basket/").status_code == 200  # django-oscar-api opens a session basket
        elif role == "customer_a":
            client.force_login(self.alice)
        elif role != "anonymous":
            rule = OPERATIONS.get(operation)
            needed = rule.permission if rule and rule.permission else None
            perms = {
                "staff_without": [p for p in ALL_PERMS if p != needed],
                "staff_with": [needed] if needed else [],
                "non_staff_with_perm": ALL_PERMS,
            }[role]
            user = UserFactory(is_staff=role != "non_staff_with_perm")
            user.user_permissions.set([Permission.objects.get(content_type__app_label=perm.split(".")[0],
                                                              codename=perm.split(".")[1]) for perm in perms])
            client.force_login(user)
        return client


def bob_id(world):
    return global_id("Account", world.bob_wallet.pk)


#: root field -> (document, variables from the world). Mutations select `errors { code }`.
CASES = {
    "my_accounts": ("{ myAccounts { edges { node { id } } } }", lambda w: {}),
    "node": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": bob_id(w)}),
    "nodes": ("query($id: ID!) { nodes(ids: [$id]) { id } }", lambda w: {"id": bob_id(w)}),
    "balance": ("query($id: ID) { balance(accountId: $id) { amount } }", lambda w: {"id": bob_id(w)}),
    "transfers": ("query($id: ID) { transfers(accountId: $id) { totalCount } }", lambda w: {"id": bob_id(w)}),
    "redeem_gift_card": (
        "mutation($code: String!) { redeemGiftCard(input: {code: $code}) { errors { code } } }",
        lambda w: {"code": w.bobs_card.code},
    ),
    "my_gift_cards": ("{ myGiftCards { totalCount } }", lambda w: {}),
    "gift_card_sales": ("{ giftCardSales { totalCount } }", lambda w: {}),
    "resend_gift_card": (
        "mutation($id: ID!) { resendGiftCard(input: {giftCardId: $id}) { errors { code } } }",
        lambda w: {"id": global_id("GiftCardPurchase", w.bobs_gift.pk)},
    ),
    "pay_with_account": (
        "mutation($basket: ID!, $id: ID!) { payWithAccount(input: {basketId: $basket, payments: [{accountId: $id}]}) "
        "{ errors { code } } }",
        lambda w: {"basket": str(w.bob_basket.pk), "id": bob_id(w)},
    ),
    "start_card_checkout": (
        "mutation($basket: ID!, $id: ID!) { startCardCheckout(input: {basketId: $basket, payments: [{accountId: $id}]}) "
        "{ errors { code } } }",
        lambda w: {"basket": str(w.bob_basket.pk), "id": bob_id(w)},
    ),
    "pay_card_checkout": (
        'mutation($id: ID!) { payCardCheckout(input: {checkoutId: $id, cardToken: "4242424242424242"}) '
        "{ errors { code } } }",
        lambda w: {"id": w.bob_checkout["id"]},
    ),
    "cancel_card_checkout": (
        "mutation($id: ID!) { cancelCardCheckout(input: {checkoutId: $id}) { errors { code } } }",
        lambda w: {"id": w.bob_checkout["id"]},
    ),
    "refund_order": (
        'mutation($number: String!) { refundOrder(input: {orderNumber: $number, amount: "1.00", destination: CARD}) '
        "{ errors { code } } }",
        lambda w: {"number": w.bob_checkout["order"]["number"]},
    ),
    "webhook_endpoints": ("{ webhookEndpoints { id url } }", lambda w: {}),
    "webhook_deliveries": ("{ webhookDeliveries { edges { node { eventId status } } } }", lambda w: {}),
    "create_webhook_endpoint": (
        'mutation { createWebhookEndpoint(input: {url: "https://erp.example.com/hooks"}) { errors { code } } }',
        lambda w: {},
    ),
    "update_webhook_endpoint": (
        "mutation($id: ID!) { updateWebhookEndpoint(input: {endpointId: $id, isActive: false}) { errors { code } } }",
        lambda w: {"id": str(w.endpoint.pk)},
    ),
    "delete_webhook_endpoint": (
        "mutation($id: ID!) { deleteWebhookEndpoint(input: {endpointId: $id}) { errors { code } } }",
        lambda w: {"id": str(w.endpoint.pk)},
    ),
    "loyalty_rule": ("{ loyaltyRule { rate spendable } }", lambda w: {}),
    "accounts": ("{ accounts { totalCount } }", lambda w: {}),
    "account": ("query($id: ID!) { account(id: $id) { name } }", lambda w: {"id": bob_id(w)}),
    "account_types": ("{ accountTypes { code } }", lambda w: {}),
    "account_statement": (
        'query($id: ID!) { accountStatement(accountId: $id, start: "2026-01-01T00:00:00Z", end: "2199-01-01T00:00:00Z") '
        "{ closingBalance { amount } } }",
        lambda w: {"id": bob_id(w)},
    ),
    "my_account_statement": (
        'query($id: ID!) { myAccountStatement(accountId: $id, start: "2026-01-01T00:00:00Z", '
        'end: "2199-01-01T00:00:00Z") { closingBalance { amount } } }',
        lambda w: {"id": bob_id(w)},
    ),
    "transfer": ("query($ref: String) { transfer(reference: $ref) { reference } }",
                 lambda w: {"ref": w.bob_payment.reference}),
    "all_transfers": ("{ allTransfers { totalCount } }", lambda w: {}),
    "deferred_income_report": ('{ deferredIncomeReport(date: "2026-01-01") { date } }', lambda w: {}),
    "profit_loss_report": ('{ profitLossReport(startDate: "2026-01-01", endDate: "2026-01-31", currency: "GBP") { net { amount } } }',
                           lambda w: {}),
    "ledger_health": ("{ ledgerHealth { ok } }", lambda w: {}),
    "create_account": (
        'mutation { createAccount(input: {name: "New", typeCode: "store_credit", currency: "GBP"}) { errors { code } } }',
        lambda w: {},
    ),
    "update_account": (
        'mutation($id: ID!) { updateAccount(input: {accountId: $id, name: "Renamed"}) { errors { code } } }',
        lambda w: {"id": bob_id(w)},
    ),
    "freeze_account": ("mutation($id: ID!) { freezeAccount(input: {accountId: $id}) { errors { code } } }",
                       lambda w: {"id": bob_id(w)}),
    "thaw_account": ("mutation($id: ID!) { thawAccount(input: {accountId: $id}) { errors { code } } }",
                     lambda w: {"id": global_id("Account", w.frozen.pk)}),
    "close_account": ("mutation($id: ID!) { closeAccount(input: {accountId: $id}) { errors { code } } }",
                      lambda w: {"id": global_id("Account", w.empty.pk)}),
    "issue_gift_cards": (
        'mutation { issueGiftCards(input: {count: 1, amount: "5", currency: "GBP"}) { errors { code } } }',
        lambda w: {},
    ),
    "top_up_account": ('mutation($id: ID!) { topUpAccount(input: {accountId: $id, amount: "1"}) { errors { code } } }',
                       lambda w: {"id": bob_id(w)}),
    "withdraw_from_account": (
        'mutation($id: ID!) { withdrawFromAccount(input: {accountId: $id, amount: "1"}) { errors { code } } }',
        lambda w: {"id": bob_id(w)},
    ),
    "reverse_transfer": (
        "mutation($ref: ID!) { reverseTransfer(input: {transferId: $ref}) { errors { code } } }",
        lambda w: {"ref": w.bob_payment.reference},
    ),
}


def test_every_root_field_is_in_the_matrix_and_the_policy_table():
    fields = root_fields("Query") | root_fields("Mutation")
    assert fields == set(CASES)
    assert fields == set(OPERATIONS) | PUBLIC_OPERATIONS


def outcome(client, document, variables) -> str:
    """OK, or the refusal's code (top-level or in the payload)."""
    response = client.post("/graphql/", data=json.dumps({"query": document, "variables": variables}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    (payload,) = body["data"].values()
    errors = payload.get("errors") if isinstance(payload, dict) else None
    return errors[0]["code"] if errors else "OK"


STAFF_EXPECTED = {
    "anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED", "customer_a": "PERMISSION_DENIED",
    "staff_without": "PERMISSION_DENIED", "staff_with": "OK", "non_staff_with_perm": "PERMISSION_DENIED",
}
# Customer operations on customer B's data: nobody else gets at it, staff included (the staff API
# is where staff read other people's accounts).
CUSTOMER_EXPECTED = {
    "my_accounts": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED"},
    # someone else's ID is null for everybody else (not an error); see tests/graphql/test_nodes.py
    "node": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED"},
    "nodes": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED"},
    "transfers": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED", "*": "NOT_FOUND"},
    "balance": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED", "*": "NOT_FOUND"},
    "redeem_gift_card": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED", "*": "INVALID_CODE"},
    "my_gift_cards": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED"},
    "my_account_statement": {"anonymous": "UNAUTHENTICATED", "guest_session": "UNAUTHENTICATED", "*": "NOT_FOUND"},
    "pay_with_account": {"*": "NOT_FOUND"},
    "start_card_checkout": {"*": "NOT_FOUND"},
    "pay_card_checkout": {"*": "NOT_FOUND"},
    "cancel_card_checkout": {"*": "NOT_FOUND"},
}


@pytest.mark.parametrize("field", sorted(CASES))
def test_matrix(chart, field):
    world = World()
    document, variables = CASES[field]
    for role in ROLES:
        before = ledger_state()
        got = outcome(world.client(role, field), document, variables(world))
        if field in CUSTOMER_EXPECTED:
            expected = CUSTOMER_EXPECTED[field].get(role, CUSTOMER_EXPECTED[field].get("*", "OK"))
        else:
            expected = STAFF_EXPECTED[role]
        assert got == expected, f"{field} as {role}: {got}, expected {expected}"
        if role != "staff_with":  # nobody but the permitted staff member changes anything (money or card)
            assert ledger_state() == before, f"{field} as {role} changed the ledger"


def ledger_state():
    return (Transfer.objects.count(), sorted(Account.objects.values_list("pk", "balance", "held", "status", "name")),
            sorted(SandboxCharge.objects.values_list("pk", "status", "captured", "refunded")),
            sorted(WebhookEndpoint.objects.values_list("pk", "url", "is_active")))


def test_customer_a_sees_only_their_own_accounts(chart):
    world = World()
    mine = AccountFactory(primary_user=world.alice, funded=D("3"))
    client = world.client("customer_a", "my_accounts")
    response = client.post("/graphql/", data=json.dumps({"query": CASES["my_accounts"][0]}),
                           content_type="application/json").json()
    ids = [edge["node"]["id"] for edge in response["data"]["myAccounts"]["edges"]]
    assert ids == [global_id("Account", mine.pk)]


def test_dashboard_pages_read_the_same_table():
    from headless_store.ledger.dashboard.apps import PAGE_OPERATIONS, LedgerDashboardConfig

    for page, operation in PAGE_OPERATIONS.items():
        rule = rule_for(operation)  # an API operation's, or a dashboard-only one's (the credit reports)
        assert LedgerDashboardConfig.permissions_map[page] == ["is_staff", rule.permission]
