"""One refusal hierarchy: every domain's refusal is a kernel Refusal, carries a code of its own
domain (or a shared kernel code), and the API shows that code unchanged."""
import pytest

from accounts_graphql.errors import AccountErrorCode, code_for, errors_from
from headless_store.checkout import exceptions as checkout
from headless_store.checkout.exceptions import CheckoutCode
from headless_store.events import exceptions as events
from headless_store.giftcard_sales import exceptions as giftcard_sales
from headless_store.kernel.refusals import NotFound, Refusal, RefusalCode, every_refusal
from headless_store.ledger import exceptions as ledger
from headless_store.ledger.exceptions import LedgerCode


def test_every_refusal_code_is_an_api_code():
    for klass in every_refusal():
        assert AccountErrorCode(str(klass.code)), klass


def test_the_api_codes_are_the_domains_codes_and_nothing_else():
    domain_codes = {*RefusalCode, *LedgerCode, *CheckoutCode}
    assert {code.value for code in AccountErrorCode} == {str(code) for code in domain_codes}


def test_checkout_codes_are_not_ledger_codes():
    assert not {str(c) for c in CheckoutCode} & {str(c) for c in LedgerCode}
    assert checkout.CardDeclined.code == CheckoutCode.CARD_DECLINED
    assert checkout.BasketEmpty.code == CheckoutCode.BASKET_EMPTY


def test_checkout_and_ledger_refusals_are_one_hierarchy():
    assert issubclass(checkout.CheckoutError, Refusal) and issubclass(ledger.AccountException, Refusal)
    assert not issubclass(checkout.CheckoutError, ledger.AccountException)


@pytest.mark.parametrize("klass", [checkout.OrderNotFound, events.WebhookEndpointNotFound, ledger.TransferNotFound,
                                   checkout.BasketNotFound, checkout.CheckoutNotFound,
                                   giftcard_sales.GiftCardSaleNotFound])
def test_each_missing_thing_has_its_own_class_and_the_one_not_found_code(klass):
    assert issubclass(klass, NotFound) and not issubclass(klass, ledger.AccountNotFound)
    assert code_for(klass("gone")) == AccountErrorCode.NOT_FOUND


@pytest.mark.parametrize("error, code", [
    (ledger.FrozenAccount("x"), "ACCOUNT_FROZEN"), (ledger.ClosedAccount("x"), "ACCOUNT_CLOSED"),
    (ledger.NotAuthorised("x"), "PERMISSION_DENIED"), (ledger.AccountNotEmpty("x"), "INVALID"),
    (ledger.IdempotencyConflict("x"), "IDEMPOTENCY_CONFLICT"), (ledger.HoldExpired("x"), "INVALID"),
    (checkout.CheckoutInvalid({"a": ["b"]}), "INVALID"), (checkout.RefundNotPossible("x"), "REFUND_NOT_POSSIBLE"),
])
def test_codes_stay_what_they_were(error, code):
    assert code_for(error).value == code


def test_a_group_of_refusals_answers_each_with_its_own_code():
    group = checkout.CheckoutRefused([checkout.BasketEmpty("empty"), ledger.InsufficientFunds("poor", field="payments.0")])
    assert [(e.code.value, e.field) for e in errors_from(group)] == [("BASKET_EMPTY", None),
                                                                     ("INSUFFICIENT_FUNDS", "payments.0")]


def test_anything_else_is_not_a_refusal():
    with pytest.raises(KeyError):
        code_for(ValueError("bug"))


def test_a_ledger_refusal_is_still_an_account_exception_for_oscar_accounts_callers():
    for klass in (ledger.IdempotencyConflict, ledger.AccountNotFound, ledger.TransferNotFound, ledger.InvalidInput):
        assert issubclass(klass, ledger.AccountException)
