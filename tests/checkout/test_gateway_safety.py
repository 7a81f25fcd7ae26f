"""No sandbox where money is real: the shop refuses to start on the sandbox card processor with
DEBUG off unless a staging flag says so; card numbers never reach a real processor's adapter;
the sandbox approves its documented test cards only, written in ASCII digits."""
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from oscar.core.loading import get_model

from accounts_graphql.ids import global_id
from headless_store.checkout.gateways import check_card_token, get_gateway, sandbox
from headless_store.checkout.models import CardCheckout, SandboxCharge
from headless_store.ledger.exceptions import InvalidInput
from headless_store.ledger.models import Account, Hold
from tests.checkout.gateways import TokenOnlyGateway
from tests.checkout.test_card_checkout import CHECKOUT
from tests.factories import AccountFactory
from tests.graphql.conftest import ADDRESS, error_codes
from tests.test_production import REAL_GATEWAY, free_port, production_env

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = "headless_store.checkout.gateways.sandbox.SandboxGateway"
Order = get_model("order", "Order")
START = f"""
mutation Start($input: StartCardCheckoutInput!) {{
  startCardCheckout(input: $input) {{ {CHECKOUT} errors {{ field code message }} }}
}}"""


def manage_check(env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def sqlite_env(tmp_path, **overrides):
    return production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_URL="locmemcache://",
                          **overrides)


class TestStartingUp:
    def test_check_refuses_the_sandbox_with_debug_off(self, tmp_path):
        result = manage_check(sqlite_env(tmp_path, STORE_PAYMENT_GATEWAY=SANDBOX))
        assert result.returncode != 0
        assert "store_checkout.E002" in result.stderr and "STORE_SANDBOX_ALLOWED" in result.stderr

    def test_the_documented_placeholder_is_refused_until_it_names_a_real_adapter(self, tmp_path):
        env = sqlite_env(tmp_path)
        env.pop("STORE_PAYMENT_GATEWAY")  # as deploy/production.env has it
        env["STORE_PAYMENT_GATEWAY"] = next(line.split("=", 1)[1] for line in
                                            (ROOT / "deploy" / "production.env").read_text().splitlines()
                                            if line.startswith("STORE_PAYMENT_GATEWAY="))
        result = manage_check(env)
        assert result.returncode != 0 and "store_checkout.E001" in result.stderr

    def test_a_staging_flag_or_debug_allows_the_sandbox(self, tmp_path):
        assert manage_check(sqlite_env(tmp_path, STORE_PAYMENT_GATEWAY=SANDBOX,
                                       STORE_SANDBOX_ALLOWED="true")).returncode == 0
        assert manage_check(sqlite_env(tmp_path, STORE_PAYMENT_GATEWAY=SANDBOX, DEBUG="true")).returncode == 0
        assert manage_check(sqlite_env(tmp_path)).returncode == 0  # the real adapter

    def test_gunicorn_serving_the_production_environment_refuses_to_start_on_the_sandbox(self, tmp_path):
        env = sqlite_env(tmp_path, STORE_PAYMENT_GATEWAY=SANDBOX, BIND=f"127.0.0.1:{free_port()}",
                         WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="")
        server = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "headless_store.wsgi"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert server.returncode != 0  # the master stops when its worker cannot boot
        assert "store_checkout.E002" in server.stdout + server.stderr

    def test_the_worker_refuses_to_start_on_the_sandbox(self, tmp_path):
        env = sqlite_env(tmp_path, STORE_PAYMENT_GATEWAY=SANDBOX)
        worker = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert worker.returncode != 0 and "store_checkout.E002" in worker.stderr

    def test_the_gateway_is_not_handed_out_at_run_time_either(self, settings):
        settings.STORE_PAYMENT_GATEWAY, settings.STORE_SANDBOX_ALLOWED, settings.DEBUG = SANDBOX, False, False
        with pytest.raises(ImproperlyConfigured, match="STORE_SANDBOX_ALLOWED"):
            get_gateway()
        settings.STORE_SANDBOX_ALLOWED = True
        assert get_gateway().is_sandbox


def test_the_suite_environment_is_not_what_production_gets():
    """The flag the suite sets for itself never leaks into the production environment tests use."""
    assert os.environ["STORE_SANDBOX_ALLOWED"] == "true"
    assert "STORE_SANDBOX_ALLOWED" not in production_env()


class TestCardTokens:
    @pytest.mark.parametrize("token", [
        "4242 4242 4242 4242", "4242-4242-4242-4242", "4242424242424242", "０００００００００００００",
        "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", "5555555555554444",
    ])
    def test_a_real_processor_never_receives_a_card_number(self, token):
        with pytest.raises(InvalidInput) as refused:
            check_card_token(TokenOnlyGateway(), token)
        assert refused.value.field == "card_token"

    @pytest.mark.parametrize("token", ["４２４２４２４２４２４２４２４２", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", "4242\u00a04242\u00a04242\u00a04242"])
    def test_the_sandbox_takes_ascii_digits_only(self, token):
        with pytest.raises(InvalidInput):
            check_card_token(sandbox.SandboxGateway(), token)

    @pytest.mark.parametrize("token", ["", "   ", "x" * 256, "tok_\n1"])
    def test_empty_oversized_and_unprintable_tokens_are_refused(self, token):
        with pytest.raises(InvalidInput):
            check_card_token(TokenOnlyGateway(), token)

    def test_processor_tokens_pass_through(self):
        assert check_card_token(TokenOnlyGateway(), " tok_visa ") == "tok_visa"
        assert check_card_token(sandbox.SandboxGateway(), "4242 4242 4242 4242") == "4242 4242 4242 4242"


@pytest.mark.django_db
class TestSandboxCards:
    @pytest.mark.parametrize("number", ["000000000000", "4111111111111111", "4012888888881881", "378282246310005"])
    def test_numbers_that_are_not_its_test_cards_are_declined(self, number):
        with pytest.raises(sandbox.PaymentDeclined, match="test cards only"):
            sandbox.SandboxGateway().authorise(amount=D("1"), currency="GBP", token=number, reference="1",
                                               idempotency_key=f"k-{number}")
        assert not SandboxCharge.objects.exists()

    @pytest.mark.parametrize("number", [sandbox.APPROVED, sandbox.APPROVED_MASTERCARD, "4242 4242 4242 4242"])
    def test_its_approved_test_cards_are_approved(self, number):
        authorised = sandbox.SandboxGateway().authorise(amount=D("1"), currency="GBP", token=number, reference="1",
                                                        idempotency_key=f"k-{number}")
        assert authorised.amount == D("1") and SandboxCharge.objects.count() == 1


@pytest.mark.django_db
class TestCheckoutWithARealGateway:
    @pytest.fixture(autouse=True)
    def real_gateway(self, settings):
        settings.STORE_PAYMENT_GATEWAY = REAL_GATEWAY

    @pytest.fixture
    def basket(self, api, products, country):
        api.add_product(products["kettle"])  # 45.00
        return api.basket()["id"]

    def start(self, api, basket, payments=(), **extra):
        variables = {"input": {"basketId": str(basket), "payments": list(payments), "shippingAddress": ADDRESS,
                               **extra}}
        return api.data(START, variables)["startCardCheckout"]

    @pytest.mark.parametrize("number", ["4242 4242 4242 4242", "000000000000", "４２４２４２４２４２４２４２４２"])
    def test_a_card_number_is_refused_before_anything_is_held_or_ordered(self, api, chart, customer, basket, number):
        wallet = AccountFactory(primary_user=customer, funded=D("20"))
        started = self.start(api, basket, [{"accountId": global_id("Account", wallet.pk)}], cardToken=number)
        assert [(e["code"], e["field"]) for e in started["errors"]] == [("INVALID", "cardToken")]
        assert started["checkout"] is None
        assert not Order.objects.exists() and not Hold.objects.exists() and not CardCheckout.objects.exists()
        assert Account.objects.get(pk=wallet.pk).balance == D("20") and not SandboxCharge.objects.exists()

    def test_the_processors_token_pays(self, api, chart, basket):
        started = self.start(api, basket, cardToken="tok_visa")
        assert started["errors"] == [] and started["checkout"]["status"] == "PAID"
        assert started["checkout"]["card"] == "Visa ending 4242"

    def test_the_processor_declining_its_token_is_a_decline(self, api, chart, basket):
        assert error_codes(self.start(api, basket, cardToken="tok_declined")) == ["CARD_DECLINED"]
