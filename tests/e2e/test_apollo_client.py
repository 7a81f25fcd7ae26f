"""The contract from real clients: Apollo Client 4 and urql (TypeScript, Node's test runner,
frontend_contract/client-tests/) against this server, with token auth and no cookies."""
import os
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from headless_store.ledger import core, facade
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.postgres

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_contract"
PASSWORD = "correct horse battery"


def run_suite(live_server, env):
    npm = shutil.which("npm")
    assert npm, "Node.js and npm are needed for the client tests (make install runs npm ci)"
    result = subprocess.run([npm, "run", "--silent", "client-tests"], cwd=CONTRACT,
                            env={**os.environ, "API_URL": live_server.url, **env}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def shopper(chart):
    Country = get_model("address", "Country")
    Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    user = UserFactory(username="ada", email="ada@example.com")
    wallet = get_or_create_wallet(user=user, currency="GBP")
    facade.transfer(core.bank_account(), wallet, D("100.00"))
    AccountFactory(name="Points", primary_user=user, type_code="loyalty_points", funded=D("3.00"))
    AccountFactory(name="B2B", primary_user=user, type_code="b2b_prepaid", funded=D("50.00"))
    product = create_product(title="Kettle", price=D("45.00"), num_in_stock=10)
    return user, product


def test_apollo_client_suite(live_server, shopper, settings):
    user, product = shopper
    card = issue_gift_card(amount=D("25.00"), currency="GBP")
    env = {"USERNAME": user.username, "PASSWORD": PASSWORD, "GIFT_CODE": card.code, "GIFT_AMOUNT": "25.00",
           "PRODUCT_URL": f"{live_server.url}/api/products/{product.pk}/"}
    assert not settings.DEBUG  # APQ registers contract documents for anyone, not only with DEBUG
    cache.clear()  # no APQ registration left from elsewhere: Apollo's hashes start unknown
    out = run_suite(live_server, {**env, "PERSISTED_ONLY": "0"})
    assert "# fail 0" in out and "# pass 7" in out
    settings.GRAPHQL_API = {**settings.GRAPHQL_API, "PERSISTED_OPERATIONS_ONLY": True}
    cache.clear()
    # only the persisted-query tests run: the manifest link, and every operation by id, APQ and text
    # with Apollo Client and with urql
    out = run_suite(live_server, {**env, "PERSISTED_ONLY": "1"})
    assert "# fail 0" in out and "# pass 3" in out and "# skipped 4" in out
