"""The contract from real clients: Apollo Client 4 and urql (TypeScript, Node's test runner,
frontend_contract/client-tests/) against gunicorn with DEBUG off (the production profile, two
workers sharing Redis), with token auth and no cookies: open, then persisted-only."""
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from headless_store.ledger import core, facade
from headless_store.ledger.services.accounts import get_or_create_wallet
from headless_store.ledger.services.giftcards import issue_gift_card
from tests.factories import AccountFactory, UserFactory
from tests.test_metrics import served_env
from tests.test_production import gunicorn

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "frontend_contract"
PASSWORD = "correct horse battery"


def run_suite(env):
    npm = shutil.which("npm")
    assert npm, "Node.js and npm are needed for the client tests (make install runs npm ci)"
    result = subprocess.run([npm, "run", "--silent", "client-tests"], cwd=CONTRACT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def shopper(chart):
    Country = get_model("address", "Country")
    Country.objects.get_or_create(iso_3166_1_a2="GB", defaults={"name": "United Kingdom", "is_shipping_country": True})
    user = UserFactory(username="ada", email="ada@example.com")
    # the server's own hasher (the suite's is MD5, which the production profile does not accept)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "clientsuitesalt")
    user.save(update_fields=["password"])
    wallet = get_or_create_wallet(user=user, currency="GBP")
    facade.transfer(core.bank_account(), wallet, D("100.00"))
    AccountFactory(name="Points", primary_user=user, type_code="loyalty_points", funded=D("3.00"))
    AccountFactory(name="B2B", primary_user=user, type_code="b2b_prepaid", funded=D("50.00"))
    product = create_product(title="Kettle", price=D("45.00"), num_in_stock=10)
    return user, product


def server_env(tmp_path, *, persisted_only: bool) -> dict:
    """The production profile on the test database, DEBUG off; APQ registrations in Redis, which
    both workers share (with no Redis for the tests, one worker and its own memory)."""
    redis = os.environ.get("TEST_REDIS_URL")
    return {**served_env(tmp_path), **dict(
        CACHE_URL=redis or "locmemcache://", WEB_CONCURRENCY="2" if redis else "1",
        STORE_SANDBOX_ALLOWED="true", STORE_PAYMENT_GATEWAY="headless_store.checkout.gateways.sandbox.SandboxGateway",
        ACCOUNTS_CODE_HASH_KEY=CODE_KEY, DEBUG="false",
        GRAPHQL_PERSISTED_OPERATIONS_ONLY="true" if persisted_only else "false",
    )}


def flush(env):
    """A clean cache: no APQ registration left from a run before, Apollo's hashes start unknown."""
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"],
                   cwd=ROOT, env=env, check=True, timeout=120)


CODE_KEY = "client-suites-code-hash-key"


def test_apollo_and_urql_suites_against_gunicorn(shopper, tmp_path, settings):
    user, product = shopper
    settings.ACCOUNTS_CODE_HASH_KEY = CODE_KEY  # the server's, so that it knows the code issued here
    card = issue_gift_card(amount=D("25.00"), currency="GBP")
    suite = {"USERNAME": user.username, "PASSWORD": PASSWORD, "GIFT_CODE": card.code, "GIFT_AMOUNT": "25.00",
             "PRODUCT_ID": str(product.pk),
             "EXPIRE_CHECKOUT": json.dumps([sys.executable, str(ROOT / "tests" / "e2e" / "expire_checkout.py")])}
    env = server_env(tmp_path, persisted_only=False)
    flush(env)
    with gunicorn(env) as base:
        out = run_suite({**env, **suite, "API_URL": base, "PERSISTED_ONLY": "0"})
    assert "# fail 0" in out and "# pass 9" in out, out[-3000:]

    env = server_env(tmp_path, persisted_only=True)
    flush(env)
    # only the persisted-query tests run: the manifest link, and every operation by id, APQ and text
    # with Apollo Client and with urql
    with gunicorn(env) as base:
        out = run_suite({**env, **suite, "API_URL": base, "PERSISTED_ONLY": "1"})
    assert "# fail 0" in out and "# pass 3" in out and "# skipped 6" in out, out[-3000:]
