"""Load for bench/http.py (locust, headless): mobile clients with DRF tokens.

SCENARIO=accounts: each user reads `myAccounts` (20 accounts x 5 entries) again and again.
SCENARIO=checkout: each user builds a one-line basket through django-oscar-api's REST endpoints
and pays it with `payWithAccount` (the mix a checkout sends: two REST calls, one GraphQL call).
Tokens come from BENCH_TOKENS (comma-separated), one per simulated user.
"""
import itertools
import json
import os

from locust import HttpUser, constant, task

TOKENS = itertools.cycle(os.environ["BENCH_TOKENS"].split(","))
SCENARIO = os.environ.get("SCENARIO", "accounts")
PRODUCT_URL = os.environ.get("BENCH_PRODUCT_URL", "")
WALLETS = json.loads(os.environ.get("BENCH_WALLETS", "{}"))

MY_ACCOUNTS = """query MyAccounts { myAccounts(first: 20) { totalCount edges { node {
  id name kind currency status balance { amount currency } amountAvailable { amount currency }
  transfers(first: 5) { edges { node { id reference direction amount { amount currency }
    balanceAfter { amount currency } description merchantReference createdAt } } }
} } } }"""

PAY = """mutation Pay($input: PayWithAccountInput!) {
  payWithAccount(input: $input) { order { number } errors { code message } } }"""

ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "line1": "1 Row", "line4": "London",
           "postcode": "N1 9GU", "country": "GB"}


class Shopper(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.token = next(TOKENS)
        self.client.headers.update({"Authorization": f"Token {self.token}", "Content-Type": "application/json"})

    @task
    def work(self):
        if SCENARIO == "accounts":
            with self.client.post("/graphql/", json={"query": MY_ACCOUNTS}, name="myAccounts", catch_response=True) as r:
                if r.status_code != 200 or "errors" in r.json():
                    r.failure(r.text[:200])
            return
        with self.client.post("/api/basket/add-product/", json={"url": PRODUCT_URL, "quantity": 1}, name="add-product",
                              catch_response=True) as r:
            if r.status_code != 200:
                r.failure(r.text[:200])
                return
        with self.client.get("/api/basket/", name="basket", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(r.text[:200])
                return
            basket = r.json()
        variables = {"input": {"basketId": str(basket["id"]), "payments": [{"accountId": WALLETS[self.token]}],
                               "shippingAddress": ADDRESS}}
        with self.client.post("/graphql/", json={"query": PAY, "variables": variables}, name="payWithAccount",
                              catch_response=True) as r:
            if r.status_code != 200 or "errors" in r.json() or r.json()["data"]["payWithAccount"]["errors"]:
                r.failure(r.text[:200])
