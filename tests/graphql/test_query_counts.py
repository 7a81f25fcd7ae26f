"""No N+1: each list query runs the same number of SQL queries at 5 and at 50 rows, with every row
pointing at its own related rows (counterparties, owners, secondary users, reversals), so a
missing loader cannot hide behind a shared core account."""
import json
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headless_store.ledger import core, facade
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

MY_ACCOUNTS = """{ myAccounts(first: 100) { totalCount edges { node {
  id name kind balance { amount } productRange codeLast4
  transfers(first: 3) { totalCount edges { node { id amount { amount } counterparty balanceAfter { amount } } } }
} } } }"""

TRANSFERS = """{ transfers(first: 100) { totalCount edges { node {
  id reference amount { amount } counterparty direction isReversal merchantReference
} } } }"""

STAFF_ACCOUNTS = """{ accounts(first: 100, filter: {typeCode: ["store_credit"]}) { totalCount edges { node {
  id name primaryUserEmail secondaryUserEmails accountType accountTypeCode productRange isExpired
  entries(first: 3) { totalCount edges { node { id transferReference amount { amount } username } } }
} } } }"""

STAFF_TRANSFERS = """{ allTransfers(first: 100, filter: {merchantReference: "N+1"}) { totalCount edges { node {
  id reference source { id name accountTypeCode } destination { id name accountTypeCode }
  amount { amount } parentReference refundable { amount } username
} } } }"""


def queries_for(client, document) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data=json.dumps({"query": document}), content_type="application/json")
    body = response.json()
    assert "errors" not in body, body
    return len(captured)


class Shop:
    """Rows for a customer and for staff, each with its own related rows."""

    def __init__(self):
        self.customer = UserFactory()
        self.staff = UserFactory(is_staff=True, is_superuser=True)
        self.made = 0

    def add(self, count):
        for _ in range(count):
            n = self.made = self.made + 1
            owner, other_owner, helper = UserFactory(), UserFactory(), UserFactory()
            mine = AccountFactory(primary_user=self.customer if n % 2 else owner, funded=D("100"))
            if not n % 2:
                mine.secondary_users.add(self.customer, helper)
            counterparty = AccountFactory(primary_user=other_owner, funded=D("10"))
            facade.transfer(mine, counterparty, D("2"), merchant_reference="N+1")
            payment = facade.transfer(counterparty, mine, D("1"), merchant_reference="N+1", user=other_owner)
            facade.reverse(payment, amount=D("0.50"), merchant_reference="N+1")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("document, who", [
    (MY_ACCOUNTS, "customer"), (TRANSFERS, "customer"), (STAFF_ACCOUNTS, "staff"), (STAFF_TRANSFERS, "staff"),
], ids=["myAccounts", "transfers", "accounts", "allTransfers"])
def test_same_queries_at_5_and_50_rows(chart, document, who):
    core.redemptions_account()
    shop = Shop()
    shop.add(5)
    client = client_for(getattr(shop, who))
    at_5 = queries_for(client, document)
    shop.add(45)
    at_50 = queries_for(client, document)
    assert at_5 == at_50, (at_5, at_50)
    assert at_50 <= 9  # session, user, page, count, and one per relation followed
