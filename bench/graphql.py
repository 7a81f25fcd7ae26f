"""GraphQL benchmark (not a test): the API against plain Django / django-oscar-api, same run.

    .venv/bin/python bench/graphql.py [--quick]

Uses a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/headless_store_bench_graphql). Requests go through Django's
test client, so both sides pay for the same middleware stack. Prints:

1. `myAccounts` (20 accounts, 5 history entries each) / a plain Django view returning the same
   JSON from the same rows (the JSON is compared first). Targets: <= 2.0 (issue), <= 3.5 (DESIGN).
   1b. The same document against a schema whose customer types are strawberry_django
   model-backed types (same view, same extensions, same JSON): why the customer hot path keeps
   hand-filled types.
2. `payWithAccount` / django-oscar-api's `POST /api/checkout/` for the same 3-line basket,
   each timed on fresh baskets. Target <= 1.10 (issue 21).
3. A split checkout (a 10.00 gift card held, the rest by the sandbox card) / the same
   django-oscar-api checkout. Target <= 1.3. 3a: one request (`startCardCheckout` with
   `cardToken`, what the demo SPA sends); 3b: two (`startCardCheckout`, then `payCardCheckout`).

Each figure is the median of many alternating runs (the machines are shared and noisy).
"""
import sys
from pathlib import Path

# This file is named graphql.py: keep its folder off sys.path so `import graphql` finds the library.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from decimal import Decimal as D  # noqa: E402

from bench import common  # noqa: E402

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/headless_store_bench_graphql"
)

MY_ACCOUNTS = """query MyAccounts {
  myAccounts(first: 20) {
    totalCount
    edges { node {
      id name kind currency status balance { amount currency } amountAvailable { amount currency }
      transfers(first: 5) { edges { node {
        id reference direction amount { amount currency } balanceAfter { amount currency }
        description merchantReference createdAt
      } } }
    } }
  }
}"""

PAY = """mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) { order { number total { amount } } errors { code message } }
}"""

START = """mutation Start($input: StartCardCheckoutInput!) {
  startCardCheckout(input: $input) { checkout { id status byCard { amount } } errors { code message } }
}"""

PAY_CARD = """mutation PayCard($input: PayCardCheckoutInput!) {
  payCardCheckout(input: $input) { checkout { status order { number } } errors { code message } }
}"""

ADDRESS = {"first_name": "Ada", "last_name": "Lovelace", "line1": "1 Row", "line4": "London",
           "postcode": "N1 9GU"}


def setup_django():
    common.setup_django(BENCH_URL, migrate=True)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]


# -- the plain Django baseline for myAccounts -------------------------------------------------
def plain_my_accounts(request):
    """What a hand-written Django view would do for the same JSON: the same rows, no GraphQL."""
    from django.http import JsonResponse

    from accounts_graphql.accounts.types import AccountKind
    from accounts_graphql.ids import global_id
    from headless_store.ledger.money import quantize
    from headless_store.ledger.selectors.accounts import latest_legs_per_account, viewer_accounts

    KINDS = {kind.value: kind.name for kind in AccountKind}
    accounts = viewer_accounts(request.user)
    page = list(accounts.order_by("-pk")[:20])
    history = latest_legs_per_account([a.pk for a in page], limit=5)

    def money(amount, currency):
        return {"amount": str(quantize(amount, currency)), "currency": currency}

    def entry(leg):
        transfer = leg.transfer
        return {"node": {
            "id": global_id("Transfer", leg.pk), "reference": transfer.reference,
            "direction": "CREDIT" if leg.amount > 0 else "DEBIT",
            "amount": money(leg.amount, transfer.currency), "balanceAfter": money(leg.balance_after, transfer.currency),
            "description": transfer.description, "merchantReference": transfer.merchant_reference,
            "createdAt": leg.date_created.isoformat(),
        }}

    edges = [{"node": {
        "id": global_id("Account", a.pk), "name": a.name, "kind": KINDS[a.account_type.code],
        "currency": a.currency, "status": a.status, "balance": money(a.balance, a.currency),
        "amountAvailable": money(a.amount_available, a.currency) if a.amount_available is not None else None,
        "transfers": {"edges": [entry(leg) for leg in history[a.pk]]},
    }} for a in page]
    return JsonResponse({"data": {"myAccounts": {"totalCount": accounts.count(), "edges": edges}}})


# -- the same myAccounts with strawberry-graphql-django model-backed types ----------------------
def model_backed_view():
    """A schema whose customer types are strawberry_django types over the models (as the staff
    types are), served by the same view class with the same extensions: what myAccounts would
    cost if the customer hot path were model-backed too."""
    import strawberry
    import strawberry_django

    from accounts_graphql.accounts.types import AccountKind, AccountStatus
    from accounts_graphql.extensions import schema_extensions
    from accounts_graphql.ids import global_id
    from accounts_graphql.money import Money
    from accounts_graphql.pagination import StaffConnection
    from accounts_graphql.scalars import SCALAR_MAP
    from accounts_graphql.schema import SyncExecutionContext
    from accounts_graphql.transfers.types import TransferDirection
    from accounts_graphql.views import AccountsGraphQLView
    from headless_store.ledger.models import Account, Transaction
    from headless_store.ledger.selectors.accounts import viewer_accounts

    kinds = {kind.value: kind for kind in AccountKind}

    @strawberry_django.type(Transaction, name="Transfer")
    class Entry:
        created_at: strawberry.auto = strawberry_django.field(field_name="date_created")

        @strawberry_django.field(select_related=["transfer"])
        def description(self) -> str | None:
            return self.transfer.description

        @strawberry_django.field(select_related=["transfer"])
        def merchant_reference(self) -> str | None:
            return self.transfer.merchant_reference

        @strawberry_django.field
        def id(self) -> strawberry.ID:
            return global_id("Transfer", self.pk)

        @strawberry_django.field(select_related=["transfer"])
        def reference(self) -> str:
            return self.transfer.reference

        @strawberry_django.field
        def direction(self) -> TransferDirection:
            return TransferDirection.CREDIT if self.amount > 0 else TransferDirection.DEBIT

        @strawberry_django.field(select_related=["transfer"])
        def amount(self) -> Money:
            return Money.of(self.amount, self.transfer.currency)

        @strawberry_django.field(select_related=["transfer"])
        def balance_after(self) -> Money:
            return Money.of(self.balance_after, self.transfer.currency)

    @strawberry_django.type(Account, name="Account")
    class ModelAccount:
        name: strawberry.auto
        currency: str
        transfers: StaffConnection[Entry] = strawberry_django.connection(field_name="transactions")

        @strawberry_django.field
        def id(self) -> strawberry.ID:
            return global_id("Account", self.pk)

        @strawberry_django.field(select_related=["account_type"])
        def kind(self) -> AccountKind:
            return kinds.get(self.account_type.code, AccountKind.OTHER)

        @strawberry_django.field
        def status(self) -> AccountStatus:
            return AccountStatus(self.status)

        @strawberry_django.field
        def balance(self) -> Money:
            return Money.of(self.balance, self.currency)

        @strawberry_django.field
        def amount_available(self) -> Money | None:
            return Money.maybe(self.amount_available, self.currency)

    @strawberry.type
    class Query:
        @strawberry_django.connection(StaffConnection[ModelAccount])
        def my_accounts(self, info: strawberry.Info) -> list[ModelAccount]:
            return viewer_accounts(info.context.request.user).order_by("-pk")

    schema = strawberry.Schema(
        query=Query, extensions=schema_extensions(), execution_context_class=SyncExecutionContext,
        config=strawberry.schema.config.StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=True),
    )
    return AccountsGraphQLView.as_view(schema=schema)


def build_data(accounts=20, entries=5):
    from django.contrib.auth import get_user_model

    from headless_store.ledger import core, facade, names
    from headless_store.ledger.services.accounts import account_type, create_account

    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-password")
    bank, redemptions = core.bank_account("GBP"), core.redemptions_account("GBP")
    for n in range(accounts):
        account = create_account(name=f"Wallet {n}", account_type=account_type(names.STORE_CREDIT),
                                 currency="GBP", primary_user=user)
        facade.transfer(bank, account, D("500.00"))
        for i in range(entries - 1):
            facade.transfer(account, redemptions, D("1.25"), merchant_reference=f"ORDER-{n}-{i}",
                            description="Payment")
    wallet = create_account(name="Checkout wallet", account_type=account_type(names.REFUND_WALLETS),
                            currency="GBP", primary_user=user)
    facade.transfer(bank, wallet, D("1000000.00"))
    return user, wallet


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def bench_my_accounts(client, rounds, runs):
    from django.urls import path

    from headless_store import urls

    urls.urlpatterns.insert(0, path("bench/plain-accounts/", plain_my_accounts))
    urls.urlpatterns.insert(0, path("bench/model-backed/", model_backed_view()))

    def graphql():
        return client.post("/graphql/", data=json.dumps({"query": MY_ACCOUNTS}), content_type="application/json")

    def model_backed():
        return client.post("/bench/model-backed/", data=json.dumps({"query": MY_ACCOUNTS}), content_type="application/json")

    def plain():
        return client.get("/bench/plain-accounts/")

    ours, theirs = graphql().json(), plain().json()
    # The baseline must return the same document.
    if ours != theirs:
        a, b = json.dumps(ours, indent=1).splitlines(), json.dumps(theirs, indent=1).splitlines()
        diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y][:5]
        raise AssertionError(f"the plain view does not return the same JSON: {diff}")
    if model_backed().json() != ours:
        raise AssertionError("the model-backed schema does not return the same JSON")
    gql_samples, plain_samples, model_samples = [], [], []
    for i in range(rounds * runs):  # interleaved, rotating who goes first: noise hits all three
        trio = [(graphql, gql_samples), (plain, plain_samples), (model_backed, model_samples)]
        for fn, samples in trio[i % 3:] + trio[:i % 3]:
            samples += timed(fn, 1)
    return statistics.median(gql_samples), statistics.median(plain_samples), statistics.median(model_samples)


def bench_checkout(client, user, wallet, runs, statements=None):
    from oscar.apps.partner.strategy import Default
    from oscar.core.loading import get_model
    from oscar.test.factories import create_product

    from accounts_graphql.ids import global_id

    Basket = get_model("basket", "Basket")
    Country = get_model("address", "Country")
    country, _ = Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    products = [create_product(title=f"Product {i}", price=D("10.00") + i, num_in_stock=100000) for i in range(3)]

    def fresh_basket():
        Basket.objects.filter(owner=user, status="Open").update(status="Frozen")
        basket = Basket.objects.create(owner=user)
        basket.strategy = Default()
        for product in products:
            basket.add_product(product, 1)
        return basket

    from headless_store.ledger.services.giftcards import issue_gift_card

    address = {"firstName": "Ada", "lastName": "Lovelace", "line1": "1 Row", "line4": "London", "postcode": "N1 9GU",
               "country": "GB"}

    def gql(query, variables):
        body = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables}),
                           content_type="application/json").json()
        (payload,) = body["data"].values()
        assert payload["errors"] == [], body
        return payload

    def ours(basket):
        gql(PAY, {"input": {"basketId": str(basket.pk), "payments": [{"accountId": global_id("Account", wallet.pk)}],
                            "shippingAddress": address}})

    def split(basket):
        started = gql(START, {"input": {"basketId": str(basket.pk), "payments": [{"code": basket.gift_code}],
                                        "shippingAddress": address, "cardToken": "4242424242424242"}})
        assert started["checkout"]["status"] == "PAID", started

    def split_in_two(basket):
        started = gql(START, {"input": {"basketId": str(basket.pk), "payments": [{"code": basket.gift_code}],
                                        "shippingAddress": address}})
        paid = gql(PAY_CARD, {"input": {"checkoutId": started["checkout"]["id"], "cardToken": "4242424242424242"}})
        assert paid["checkout"]["status"] == "PAID", paid

    def theirs(basket):
        data = {"basket": f"http://testserver/api/baskets/{basket.pk}/",
                "shipping_address": {**ADDRESS, "country": f"http://testserver/api/countries/{country.pk}/"}}
        response = client.post("/api/checkout/", data=json.dumps(data), content_type="application/json")
        assert response.status_code == 200, response.content

    contenders = {ours: [], split: [], split_in_two: [], theirs: []}
    if statements is not None:  # count (and keep) each checkout's SQL once, after a warm-up round
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for captured in (False, True):
            for fn in contenders:
                basket = fresh_basket()
                basket.gift_code = issue_gift_card(amount=D("10.00"), currency="GBP").code
                with CaptureQueriesContext(connection) as queries:
                    fn(basket)
                if captured:
                    statements[fn.__name__] = [q["sql"] for q in queries.captured_queries]
        return statements
    for _ in range(runs):
        for fn, samples in contenders.items():
            basket = fresh_basket()
            basket.gift_code = issue_gift_card(amount=D("10.00"), currency="GBP").code
            start = time.perf_counter()
            fn(basket)
            samples.append(time.perf_counter() - start)
    return tuple(statistics.median(samples) for samples in contenders.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves the script runs (CI), no targets")
    parser.add_argument("--statements", action="store_true",
                        help="count the SQL statements of each checkout (one request each) instead of timing them")
    parser.add_argument("-v", "--verbose", action="store_true", help="with --statements: print them too")
    args = parser.parse_args()
    rounds, runs, checkouts = (1, 2, 1) if args.smoke else (2, 20, 10) if args.quick else (5, 60, 60)
    common.recreate_database(BENCH_URL)
    setup_django()
    from django.test import Client

    user, wallet = build_data()
    client = Client()
    client.force_login(user)
    if args.statements:
        for name, sql in bench_checkout(client, user, wallet, 1, statements={}).items():
            print(f"{name}: {len(sql)} statements")
            for line in sql if args.verbose else ():
                print(f"    {line[:300]}")
        return

    gql, plain, model = bench_my_accounts(client, rounds, runs)
    print(f"1. myAccounts (20 accounts x 5 entries): GraphQL {gql * 1e3:.2f} ms, plain Django view"
          f" {plain * 1e3:.2f} ms -> ratio {gql / plain:.2f} (target <= 2.0; DESIGN <= 3.5)")
    print(f"1b. the same with strawberry_django model-backed customer types: {model * 1e3:.2f} ms"
          f" -> ratio {model / plain:.2f} to the plain view, {model / gql:.2f} to ours")
    ours, split, split_in_two, theirs = bench_checkout(client, user, wallet, checkouts)
    print(f"2. payWithAccount {ours * 1e3:.1f} ms, django-oscar-api POST /api/checkout/ {theirs * 1e3:.1f} ms"
          f" (3-line basket) -> ratio {ours / theirs:.2f} (target <= 1.10)")
    print(f"3a. split checkout (gift card held + sandbox card, 1 request) {split * 1e3:.1f} ms"
          f" -> ratio {split / theirs:.2f} to django-oscar-api's checkout (target <= 1.3)")
    print(f"3b. the same in 2 requests (startCardCheckout, payCardCheckout) {split_in_two * 1e3:.1f} ms"
          f" -> ratio {split_in_two / theirs:.2f}")


if __name__ == "__main__":
    main()
