"""A card processor for the demo and the tests, in the spirit of Saleor's dummy gateway.

Its charges are rows (`SandboxCharge`), so every app server and worker sees the same processor.
It is for development and staging only: with DEBUG off the shop refuses to start on it unless
STORE_SANDBOX_ALLOWED says the deployment takes no real money (checks.py), and `get_gateway()`
refuses to hand it out.

The token is a test card number (ASCII digits, spaces or dashes allowed), as a processor's
client-side library would hand over a token for it. Only these numbers are approved; any other
number, real or not, is declined:

=====================  ==================================================================
4242 4242 4242 4242    approved (Visa)
5555 5555 5555 4444    approved (Mastercard)
4000 0000 0000 0002    declined: "Your card was declined."
4000 0000 0000 9995    declined: insufficient funds
4000 0000 0000 0119    soft decline: the issuer asks the shopper to try again
4000 0000 0000 0259    authorised, but the answer is lost (a timeout): GatewayUnavailable
4000 0000 0000 0341    authorised; capturing it fails until the charge is captured by a retry
4000 0000 0000 3220    approved, the answer arriving SANDBOX_SLOW_SECONDS later (default 2)
=====================  ==================================================================
"""
import secrets
import time
from contextlib import nullcontext
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from ..conf import settings
from ..models import SandboxCharge
from .base import Authorisation, GatewayUnavailable, PaymentDeclined, PaymentNeedsRetry, card_number

DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
TRY_AGAIN = "4000000000000119"
TIMES_OUT = "4000000000000259"
CAPTURE_FAILS = "4000000000000341"
SLOW = "4000000000003220"
APPROVED = "4242424242424242"
APPROVED_MASTERCARD = "5555555555554444"
#: The numbers the sandbox knows; everything else is declined as "not a test card".
TEST_CARDS = frozenset({APPROVED, APPROVED_MASTERCARD, DECLINED, INSUFFICIENT_FUNDS, TRY_AGAIN, TIMES_OUT,
                        CAPTURE_FAILS, SLOW})


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "American Express"
    return "Card"


class SandboxGateway:
    source_name = "Card (sandbox)"
    accepts_card_numbers = True
    is_sandbox = True

    def authorise(self, *, amount: Decimal, currency: str, token: str, reference: str,
                  idempotency_key: str) -> Authorisation:
        number = card_number(token)
        if number is None:
            raise PaymentDeclined("The card number is not valid.")
        if number not in TEST_CARDS:
            raise PaymentDeclined("The sandbox takes its test cards only (see the README); nothing was charged.")
        if number == DECLINED:
            raise PaymentDeclined("Your card was declined.")
        if number == INSUFFICIENT_FUNDS:
            raise PaymentDeclined("Your card was declined: insufficient funds.")
        if number == TRY_AGAIN:
            raise PaymentNeedsRetry("Your bank could not confirm the payment. Please try again.")
        # One statement, like one call to a processor (a savepoint only inside a caller's
        # transaction); a repeated key finds the first charge.
        try:
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                charge = SandboxCharge.objects.create(
                    idempotency_key=idempotency_key, reference=f"sbx_{secrets.token_hex(12)}",
                    order_reference=reference, amount=amount, currency=currency, brand=_brand(number),
                    last4=number[-4:], fail_capture=number == CAPTURE_FAILS,
                )
        except IntegrityError:
            charge = SandboxCharge.objects.get(idempotency_key=idempotency_key)
        if number == SLOW:  # authorised; the answer takes its time
            time.sleep(float(settings.SANDBOX_SLOW_SECONDS))
        if number == TIMES_OUT:
            raise GatewayUnavailable("The card processor did not answer in time. Nothing was charged.")
        return self._authorisation(charge)

    def capture(self, authorisation: str, amount: Decimal, *, idempotency_key: str) -> str:
        if SandboxCharge.objects.filter(
            reference=authorisation, status=SandboxCharge.Status.AUTHORISED, amount__gte=amount, fail_capture=False,
        ).update(captured=amount, status=SandboxCharge.Status.CAPTURED):
            return f"{authorisation}_cap"
        if SandboxCharge.objects.filter(reference=authorisation, fail_capture=True).update(fail_capture=False):
            raise GatewayUnavailable("The card processor did not answer in time.")  # the next try works
        if not SandboxCharge.objects.filter(reference=authorisation, captured__gt=0).exists():
            raise PaymentDeclined("This authorisation cannot be captured.")
        return f"{authorisation}_cap"  # captured already: the same answer

    def void(self, authorisation: str) -> None:
        SandboxCharge.objects.filter(reference=authorisation, status=SandboxCharge.Status.AUTHORISED).update(
            status=SandboxCharge.Status.VOIDED
        )

    def refund(self, authorisation: str, amount: Decimal, *, idempotency_key: str) -> str:
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().get(reference=authorisation)
            if idempotency_key in charge.refunds:
                return charge.refunds[idempotency_key]
            if charge.refunded + amount > charge.captured:
                raise PaymentDeclined("The refund is more than what is left of the payment.")
            reference = f"{charge.reference}_ref_{secrets.token_hex(4)}"
            SandboxCharge.objects.filter(pk=charge.pk).update(
                refunded=F("refunded") + amount, refunds={**charge.refunds, idempotency_key: reference})
        return reference

    def find(self, idempotency_key: str) -> Authorisation | None:
        charge = SandboxCharge.objects.filter(idempotency_key=idempotency_key).exclude(
            status=SandboxCharge.Status.VOIDED).first()
        return self._authorisation(charge) if charge else None

    @staticmethod
    def _authorisation(charge) -> Authorisation:
        return Authorisation(reference=charge.reference, amount=charge.amount, currency=charge.currency,
                             label=f"{charge.brand} ending {charge.last4}")
