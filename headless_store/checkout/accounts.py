"""Pay a django-oscar-api basket from ledger accounts and gift cards, and place the Oscar order.

All or nothing, in one database transaction: the basket row is locked, the checkout fields are
validated by django-oscar-api's own CheckoutSerializer, Oscar's OrderPlacementMixin writes the
order with a payment source "Accounts", then each allocation moves to Redemptions with the order
number as merchant reference (last, so the Redemptions row every checkout credits is locked only
until the imminent commit), a payment event per transfer is saved and the basket is submitted.
If anything fails, no money has moved and the basket is still open.
"""
import contextlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscarapi.basket.operations import request_allows_access_to_basket
from oscarapi.utils.loading import get_api_class
from rest_framework import serializers
from rest_framework.exceptions import NotAcceptable

from headless_store.kernel.compiled import CompiledQuery
from headless_store.kernel.refusals import Refusal
from headless_store.ledger import codes, core, facade
from headless_store.ledger.exceptions import blame
from headless_store.ledger.models import Transfer
from headless_store.ledger.money import parse_amount, quantize
from headless_store.ledger.services.idempotency import Scope, amount_value, run_idempotent

from . import exceptions
from .allocation import PaymentSourceRequest, allocate, check_sources, resolve_source
from .bookkeeping import (
    PAYMENT_EVENT_NAME,
    PAYMENT_SOURCE_NAME,
    order_number_for,
    paid_order_lines,
    record_payment_events,
    source_type_named,
)
from .signals import order_paid

Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")

CheckoutSerializer = get_api_class("serializers.checkout", "CheckoutSerializer")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
Repository = get_class("shipping.repository", "Repository")


@dataclass(frozen=True)
class CheckoutDetails:
    shipping_address: dict | None = None
    billing_address: dict | None = None
    shipping_method_code: str | None = None
    guest_email: str | None = None
    total: object = None  # what the shopper was shown; BasketChanged if the total now differs


@dataclass
class PaymentResult:
    order: object
    transfers: list = field(default_factory=list)
    replayed: bool = False


class LockedBasketField(serializers.HyperlinkedRelatedField):
    """The checkout's basket field, answering with the basket `prepare_checkout` locked and
    checked (its `locked_basket` in the context) instead of reading the row again."""

    def get_object(self, view_name, view_args, view_kwargs):
        locked = self.context.get("locked_basket")
        if locked is not None and str(view_kwargs.get(self.lookup_url_kwarg)) == str(locked.pk):
            return locked
        return super().get_object(view_name, view_args, view_kwargs)


class AccountsCheckoutSerializer(CheckoutSerializer):
    """django-oscar-api's checkout, paid from ledger accounts.

    The order is written first and the money moves last: every wallet payment credits the one
    Redemptions account of its currency, so its row lock is taken as late as possible and held
    only for the few statements left before commit (the transfers' legs, the payment events and
    the basket's submission), not for Oscar's order placement. A refusal at that point (the
    wallet emptied meanwhile) rolls the whole order back, as any refusal does."""

    allocations: list = ()
    payment_index: dict = {}  # {account id: its index in `payments`}, for the refusals' field

    def per_payment(self, post) -> list:
        """post(account, amount) for each allocation, in order; a refusal (an account emptied or
        frozen since it was checked) names its payment (`payments.N`)."""
        done = []
        for account, amount in self.allocations:
            index = self.payment_index.get(account.pk)
            with blame(f"payments.{index}") if index is not None else contextlib.nullcontext():
                done.append(post(account, amount))
        return done
    transfers: list = ()
    basket = LockedBasketField(view_name="basket-detail", queryset=Basket.objects)

    def validate(self, attrs):
        """django-oscar-api's, with a guest's missing e-mail named as the field it is (it refuses
        the whole input without naming one)."""
        if self.request.user.is_anonymous and settings.OSCAR_ALLOW_ANON_CHECKOUT and not attrs.get("guest_email"):
            raise serializers.ValidationError({"guest_email": ["A guest checkout needs an e-mail address."]})
        return super().validate(attrs)

    def _shipping_method(self, request, basket, shipping_method_code, shipping_address):
        """django-oscar-api's, refusing a code the shop does not offer for this basket and
        address (django-oscar-api falls back to the default method without a word)."""
        if shipping_method_code is not None:
            offered = Repository().get_shipping_methods(basket=basket, user=request.user, request=request,
                                                        shipping_addr=shipping_address)
            if all(method.code != shipping_method_code for method in offered):
                raise serializers.ValidationError({"shipping_method_code": [
                    "We do not offer this shipping method for this basket and address."]})
        return super()._shipping_method(request, basket, shipping_method_code, shipping_address)

    def generate_order_number(self, basket):
        """See `order_number_for`; computed once."""
        if getattr(self, "_order_number", None) is None:
            self._order_number = order_number_for(basket)
        return self._order_number

    def place(self, validated_data, *, paid: bool):
        """Place the Oscar order, with an "Accounts" payment source for the ledger allocations
        (debited now if `paid`, else only allocated until the holds are captured)."""
        currency = validated_data["order_total"].currency
        ledger_total = sum((amount for _account, amount in self.allocations), Decimal("0"))
        if ledger_total:
            source_type = source_type_named(PAYMENT_SOURCE_NAME)
            self.add_payment_source(Source(
                source_type=source_type, currency=currency, amount_allocated=ledger_total,
                amount_debited=ledger_total if paid else Decimal("0"),
                reference=self.generate_order_number(validated_data["basket"]),
                label=PAYMENT_SOURCE_NAME,
            ))
        try:
            return super().create(validated_data)
        except (NotAcceptable, UnableToPlaceOrder) as error:  # Oscar said no; anything else is a bug
            raise exceptions.OrderPlacementFailed(
                "The order could not be placed. Nothing was charged; please try again."
            ) from error

    def place_for_ledger(self, validated_data, *, paid: bool):
        """The start of every checkout's `create()`: place the order (see `place`); the order, the
        Redemptions account its ledger allocations go to, and the paying user (None for a guest)."""
        redemptions = core.redemptions_account(validated_data["order_total"].currency)
        order = self.place(validated_data, paid=paid)
        return order, redemptions, self.request.user if self.request.user.is_authenticated else None

    def idempotent_result(self) -> dict:
        """What a retry with the same idempotency key gets back (ids: see pay_basket_from_accounts)."""
        return {"order": self.instance.pk, "transfers": [t.pk for t in self.transfers]}

    def create(self, validated_data):
        basket = validated_data["basket"]
        order, redemptions, user = self.place_for_ledger(validated_data, paid=True)
        # No savepoints: the checkout's transaction ends on any refusal (all or nothing).
        self.transfers = self.per_payment(lambda account, amount: facade.transfer(
            account, redemptions, amount, user=user, merchant_reference=order.number,
            description=f"Payment for order {order.number}", savepoint=False))
        lines = paid_order_lines(order)
        record_payment_events(order, [(PAYMENT_EVENT_NAME, t.amount, t.reference) for t in self.transfers], lines)
        basket.submit()
        order_paid.send(sender=Order, order=order, lines=lines)
        return order


def _address_data(address: dict | None, request):
    if not address:
        return None
    data = dict(address)
    country = str(data.pop("country", None) or "").strip().upper()
    if country:
        # Any string may arrive; only a two-letter code has a URL (validate_address names the rest).
        data["country"] = (request.build_absolute_uri(reverse("country-detail", args=[country]))
                           if len(country) == 2 and country.isascii() and country.isalpha() else country)
    return data


def validate_address(address: dict | None, field: str) -> None:
    """Check an address as Oscar's checkout does, before django-oscar-api's serializer sees it:
    a country the shop ships to, the required fields (OSCAR_REQUIRED_ADDRESS_FIELDS) and the
    country's postcode rule. Errors name the field (`shipping_address.postcode`) in words a
    shopper can read; CheckoutInvalid carries them all at once."""
    if not address:
        return
    errors: dict[str, list[str]] = {}
    code = str(address.get("country") or "").strip().upper()
    country = _COUNTRY.first(code=code) if code else None
    if country is None or (field == "shipping_address" and not country.is_shipping_country):
        errors["country"] = ["We do not deliver to this country." if country else "Choose a country from the list."]
    for name in settings.OSCAR_REQUIRED_ADDRESS_FIELDS:
        if name != "country" and not str(address.get(name) or "").strip():
            errors[name] = ["This field is required."]
    if country is not None and "postcode" not in errors:
        try:
            ShippingAddress(country=country, postcode=str(address.get("postcode") or "")).ensure_postcode_is_valid_for_country()
        except ValidationError as error:
            errors["postcode"] = [str(m) for m in error.messages]
    if errors:
        raise exceptions.CheckoutInvalid({field: errors})


_COUNTRY = CompiledQuery(lambda code: Country.objects.filter(iso_3166_1_a2=code)[:1], code=str)


def _locked_basket(request, basket_id):
    """Lock the basket row (two payments of one basket queue here) and check who may use it; the
    basket and its currency. Prices and offers are applied once, by the checkout serializer (to
    this instance: LockedBasketField hands it over); here one query says whether there are lines
    and in which currency (Oscar's `is_empty` and `currency` would count the lines, then load
    them with their images)."""
    basket = _LOCKED_BASKET.first(pk=basket_id)
    if basket is not None and request.user.is_authenticated and basket.owner_id == request.user.pk:
        basket.owner = request.user  # who it is, without reading the user again
    if basket is None or not request_allows_access_to_basket(request, basket):
        raise exceptions.BasketNotFound("No open basket with this id belongs to you.", field="basket_id")
    if basket.lines_currency is None:
        raise exceptions.BasketEmpty("The basket is empty.")
    return basket, basket.lines_currency


#: The basket row, locked, with its first line's currency (None: no lines); compiled once.
_LOCKED_BASKET = CompiledQuery(
    lambda pk: Basket.objects.select_for_update().filter(pk=pk).annotate(lines_currency=Subquery(
        BasketLine.objects.filter(basket_id=OuterRef("pk")).order_by("pk").values("price_currency")[:1])),
    pk=int,
)


def prepare_checkout(serializer_class, *, request, basket_id: int, payments, details: CheckoutDetails,
                     leave_rest: bool = False):
    """Inside the caller's transaction: lock the basket, validate the checkout fields with
    django-oscar-api's serializer, resolve the payment sources and allocate the total over them.
    Returns the serializer, ready to `save()`, with `allocations` set. With `leave_rest`, what
    the sources do not cover is left for another means of payment instead of refused."""
    problems = []  # every refusal of the input, reported together

    def collect(check, *args, field=None, **kwargs):
        """Run a check; keep its refusal (named `field` first, if given) and go on."""
        try:
            if field is None:
                return check(*args, **kwargs)
            with blame(field):
                return check(*args, **kwargs)
        except Refusal as problem:
            problems.append(problem)
            return None

    collect(validate_address, details.shipping_address, "shipping_address")
    collect(validate_address, details.billing_address, "billing_address")
    basket, currency = _locked_basket(request, basket_id)
    accounts = []
    for index, source in enumerate(payments):  # judged before the rest, so their refusals come too
        account = collect(resolve_source, index, source, request, currency, field=f"payments.{index}")
        if source.amount is not None and collect(parse_amount, source.amount, currency,
                                                 field=f"payments.{index}.amount") is None:
            account = None  # refused already: not allocated (nor refused again) below
        accounts.append(account)
    serializer = serializer_class(
        data={
            key: value
            for key, value in {
                "basket": request.build_absolute_uri(reverse("basket-detail", args=[basket.pk])),
                "guest_email": details.guest_email,
                "shipping_method_code": details.shipping_method_code,
                "shipping_address": _address_data(details.shipping_address, request),
                "billing_address": _address_data(details.billing_address, request),
            }.items()
            if value is not None
        },
        context={"request": request, "locked_basket": basket},
    )
    if not serializer.is_valid():
        errors = serializer.errors
        if problems:  # the addresses were judged already, in words shoppers can read
            errors = {key: value for key, value in errors.items() if key not in ("shipping_address", "billing_address")}
        if errors:
            problems.append(exceptions.CheckoutInvalid(errors))
        raise _together(problems)  # no total to pay without a valid checkout
    validated = serializer.validated_data
    if validated["basket"].is_shipping_required() and not details.shipping_address:
        problems.append(exceptions.CheckoutInvalid({"shipping_address": ["A delivery address is needed for these items."]}))
    order_total = validated["order_total"]
    currency = order_total.currency
    total = order_total.incl_tax
    if details.total is not None:
        shown = collect(parse_amount, details.total, currency, field="total")
        if shown is not None and shown != total:
            problems.append(exceptions.BasketChanged(quantize(total, currency), currency))
    resolved = [account for account in accounts if account is not None]
    if len({a.pk for a in resolved}) != len(resolved):
        problems.append(exceptions.CheckoutInvalid({"payments": ["Each account can be given only once."]}))
    if len(resolved) == len(accounts) and not any(isinstance(p, exceptions.CheckoutInvalid) and "payments" in p.errors
                                                  for p in problems):
        serializer.allocations = collect(
            allocate, payments, accounts, validated["basket"], validated["shipping_charge"].incl_tax, total, currency,
            leave_rest=leave_rest,
        )
        serializer.payment_index = {account.pk: index for index, account in enumerate(accounts)}
    if problems:
        raise _together(problems)
    return serializer


def _together(problems: list) -> Exception:
    return problems[0] if len(problems) == 1 else exceptions.CheckoutRefused(problems)


def idempotency_payload(basket_id, payments, details: CheckoutDetails, **extra) -> dict:
    """What a retry with the same idempotency key must repeat (codes by their hash)."""
    return {
        "basket": basket_id,
        "payments": [
            [p.account_id, codes.code_hash(p.code) if p.code else None, amount_value(p.amount)] for p in payments
        ],
        "details": [details.shipping_address, details.billing_address, details.shipping_method_code,
                    details.guest_email, amount_value(details.total)],
        **extra,
    }


def run_checkout(serializer_class, *, operation: str, request, basket_id: int, payments, details: CheckoutDetails,
                 idempotency_key: str | None, leave_rest: bool = False, options: dict | None = None,
                 fingerprint: dict | None = None):
    """What every checkout of this package does first, in one place: under the idempotency key
    (`operation` and the input, with `fingerprint`, as its fingerprint), one transaction that
    prepares the checkout (`prepare_checkout`), sets `options` on the serializer and saves it.
    The saved serializer on the first call; None and the first call's `idempotent_result()` on a
    retry."""
    options = options or {}

    def action():
        with transaction.atomic():
            serializer = prepare_checkout(serializer_class, request=request, basket_id=basket_id, payments=payments,
                                          details=details, leave_rest=leave_rest)
            for name, value in options.items():
                setattr(serializer, name, value)
            serializer.save()
            saved.append(serializer)
            return serializer.idempotent_result()

    saved = []  # this call's own serializer: no need to read its rows back
    result, replayed = run_idempotent(
        scope=Scope.of_request(request), key=idempotency_key, operation=operation,
        payload=idempotency_payload(basket_id, payments, details, **(fingerprint or {})), action=action,
    )
    return (None, result) if replayed else (saved[0], result)


def pay_basket_from_accounts(
    *, request, basket_id: int, payments: list[PaymentSourceRequest], details: CheckoutDetails,
    idempotency_key: str | None = None,
) -> PaymentResult:
    """Pay the basket from the given sources and place the order; see the module docstring."""
    check_sources(payments)
    serializer, result = run_checkout(AccountsCheckoutSerializer, operation="pay_basket", request=request,
                                      basket_id=basket_id, payments=payments, details=details,
                                      idempotency_key=idempotency_key)
    if serializer is not None:
        return PaymentResult(order=serializer.instance, transfers=serializer.transfers)
    transfers = list(Transfer.objects.filter(pk__in=result["transfers"]).order_by("pk"))
    return PaymentResult(order=Order.objects.get(pk=result["order"]), transfers=transfers, replayed=True)
