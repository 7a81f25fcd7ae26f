"""Pay a django-oscar-api basket from ledger accounts and gift cards, and place the Oscar order.

All or nothing, in one database transaction: the basket row is locked, the checkout fields are
validated by django-oscar-api's own CheckoutSerializer, Oscar's OrderPlacementMixin writes the
order with a payment source "Accounts", then each allocation moves to Redemptions with the order
number as merchant reference (last, so the Redemptions row every checkout credits is locked only
until the imminent commit), a payment event per transfer is saved and the basket is submitted.
If anything fails, no money has moved and the basket is still open.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscarapi.basket.operations import request_allows_access_to_basket
from oscarapi.utils.loading import get_api_class
from rest_framework.exceptions import NotAcceptable

from headless_store.ledger import codes, core, facade
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.exceptions import blame
from headless_store.ledger.models import Account, Transfer
from headless_store.ledger.money import parse_amount, quantize
from headless_store.ledger.services.giftcards import find_by_code
from headless_store.ledger.services.idempotency import Scope, amount_value, run_idempotent
from headless_store.network import client_ip

from . import exceptions
from .signals import order_paid

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
SourceType = get_model("payment", "SourceType")

CheckoutSerializer = get_api_class("serializers.checkout", "CheckoutSerializer")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

PAYMENT_SOURCE_NAME = "Accounts"
PAYMENT_EVENT_NAME = "Paid from account"
MAX_PAYMENT_SOURCES = 10


@dataclass(frozen=True)
class PaymentSourceRequest:
    """One way to pay: an account of the viewer's (by pk) or a gift-card code; `amount` is
    optional (None: as much as this source may pay of what is still due)."""

    account_id: int | None = None
    code: str | None = None
    amount: object = None


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


class AccountsCheckoutSerializer(CheckoutSerializer):
    """django-oscar-api's checkout, paid from ledger accounts.

    The order is written first and the money moves last: every wallet payment credits the one
    Redemptions account of its currency, so its row lock is taken as late as possible and held
    only for the few statements left before commit (the transfers' legs, the payment events and
    the basket's submission), not for Oscar's order placement. A refusal at that point (the
    wallet emptied meanwhile) rolls the whole order back, as any refusal does."""

    allocations: list = ()
    transfers: list = ()

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
            source_type, _ = SourceType.objects.get_or_create(name=PAYMENT_SOURCE_NAME)
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

    def create(self, validated_data):
        basket = validated_data["basket"]
        redemptions = core.redemptions_account(validated_data["order_total"].currency)
        order = self.place(validated_data, paid=True)
        user = self.request.user if self.request.user.is_authenticated else None
        self.transfers = [
            facade.transfer(account, redemptions, amount, user=user, merchant_reference=order.number,
                            description=f"Payment for order {order.number}")
            for account, amount in self.allocations
        ]
        record_payment_events(order, [(PAYMENT_EVENT_NAME, t.amount, t.reference) for t in self.transfers])
        basket.submit()
        order_paid.send(sender=Order, order=order)
        return order



def order_number_for(basket) -> str:
    """Oscar's number for the basket; with a suffix when an earlier checkout of this basket left
    a cancelled order behind (a declined or abandoned card checkout)."""
    number = OrderNumberGenerator().order_number(basket)
    earlier = Order.objects.filter(Q(number=number) | Q(number__startswith=f"{number}-")).count()
    return f"{number}-{earlier + 1}" if earlier else str(number)


def payment_event_types(names) -> dict:
    """Oscar payment event types by name, created when missing; one query when they exist."""
    names = set(names)
    types = {t.name: t for t in PaymentEventType.objects.filter(name__in=names)}
    for name in names - types.keys():
        types[name], _ = PaymentEventType.objects.get_or_create(name=name)
    return types


def record_payment_events(order, events, lines=None, types=None, quantities=None) -> None:
    """Save Oscar payment events [(type name, amount, reference)] for all of the order's lines
    (`lines` and `types`, if the caller has them), as Oscar's OrderPlacementMixin.save_payment_events
    does, in a few queries rather than per line. `quantities` ({line: quantity}) limits the events
    to some lines (a refund of those)."""
    if not events:
        return
    names = {name for name, _amount, _reference in events}
    if types is None or not names <= types.keys():
        types = payment_event_types(names)
    saved = PaymentEvent.objects.bulk_create([
        PaymentEvent(order=order, event_type=types[name], amount=amount, reference=reference)
        for name, amount, reference in events
    ])
    if quantities is None:
        lines = list(order.lines.all()) if lines is None else lines
        quantities = {line: line.quantity for line in lines}
    PaymentEventQuantity.objects.bulk_create(
        [PaymentEventQuantity(event=event, line=line, quantity=quantity) for event in saved
         for line, quantity in quantities.items()]
    )


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
    country = Country.objects.filter(iso_3166_1_a2=code).first() if code else None
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


def _locked_basket(request, basket_id):
    """Lock the basket row (two payments of one basket queue here) and check who may use it.
    Prices and offers are applied once, by the checkout serializer's own copy of the basket."""
    basket = Basket.objects.select_for_update(of=("self",)).select_related("owner").filter(pk=basket_id).first()
    if basket is None or not request_allows_access_to_basket(request, basket):
        raise exceptions.BasketNotFound("No open basket with this id belongs to you.", field="basket_id")
    if basket.is_empty:
        raise exceptions.BasketEmpty("The basket is empty.")
    return basket


def resolve_source(index, source: PaymentSourceRequest, request, currency):
    user = request.user if request.user.is_authenticated else None
    if (source.account_id is None) == (not source.code):
        raise exceptions.CheckoutInvalid({f"payments.{index}": ["Give exactly one of accountId and code."]})
    if source.code:
        account = find_by_code(source.code, ip=client_ip(request), user=user)
    else:
        account = Account.objects.visible_to(user).filter(pk=source.account_id).first()
        if account is None:
            raise ledger_exceptions.AccountNotFound("No such account.")
        if account.is_closed():
            raise ledger_exceptions.ClosedAccount("This account is closed.")
        if account.is_frozen():
            raise ledger_exceptions.FrozenAccount("This account is frozen.")
        if not account.is_active():
            raise ledger_exceptions.InactiveAccount("This account cannot be used at the moment (outside its validity dates).")
    if account.currency != currency:
        raise ledger_exceptions.CurrencyMismatch(
            f"This account holds {account.currency}; the basket is in {currency}."
        )
    return account


class OrderShares:
    """What is still unpaid of each part of an order: each line, and the non-product charges
    (shipping, and whatever else makes up the total). A range-restricted account can only take
    from the lines in its range, so two such accounts cannot both pay for the same line."""

    def __init__(self, basket, shipping_charge: Decimal, total: Decimal):
        self.parts = {("line", line.pk): (line, line.line_price_incl_tax_incl_discounts) for line in basket.all_lines()}
        other = total - shipping_charge - sum((due for _line, due in self.parts.values()), Decimal("0"))
        self.parts["shipping"] = (None, shipping_charge + other)  # order-level charges and discounts
        self.due = {key: due for key, (_line, due) in self.parts.items()}

    def eligible(self, account) -> list:
        return [key for key, (line, _due) in self.parts.items() if account.can_pay_for(line.product if line else None)]

    def capacity(self, account) -> Decimal:
        """The most this account may pay of what is still due (the account's own rules)."""
        return account.permitted_allocation(
            sum((max(self.due[key], Decimal("0")) for key in self.eligible(account)), Decimal("0"))
        )

    def take(self, account, amount: Decimal) -> None:
        for key in self.eligible(account):
            share = min(amount, max(self.due[key], Decimal("0")))
            self.due[key] -= share
            amount -= share

    @property
    def remaining(self) -> Decimal:
        return sum(self.due.values(), Decimal("0"))


def allocate(sources, accounts, basket, shipping_charge: Decimal, total: Decimal, currency: str, *,
             leave_rest: bool = False):
    """Split `total` over the accounts: explicit amounts as given, the rest in order, each
    within what the account may pay of what is still due. Returns [(account, amount)];
    PaymentIncomplete if something is left unpaid, unless `leave_rest` (a card pays it)."""
    shares = OrderShares(basket, shipping_charge, total)
    allocations = []
    for index, (source, account) in enumerate(zip(sources, accounts, strict=True)):
        permitted = shares.capacity(account)
        if source.amount is not None:
            with blame(f"payments.{index}.amount"):
                amount = _explicit_amount(source.amount, account, permitted, shares.remaining, currency)
        else:
            amount = min(permitted, shares.remaining)
        if amount > 0:
            allocations.append((account, amount))
            shares.take(account, amount)
    if shares.remaining > 0 and not leave_rest:
        raise exceptions.PaymentIncomplete(quantize(shares.remaining, currency), currency)
    return allocations


def _explicit_amount(raw, account, permitted, remaining, currency):
    amount = parse_amount(raw, currency)
    available = account.amount_available
    if available is not None and amount > available:
        raise ledger_exceptions.InsufficientFunds(
            f"This account has only {quantize(available, currency)} {currency} available."
        )
    if amount > permitted:
        raise ledger_exceptions.InvalidAmount(
            f"At most {permitted} {currency} of this order can be paid from this account."
        )
    if amount > remaining:
        raise ledger_exceptions.InvalidAmount("The payments add up to more than the order total.")
    return amount


def check_sources(payments, *, required: bool = True) -> None:
    if required and not payments:
        raise exceptions.CheckoutInvalid({"payments": ["Give at least one payment source."]})
    if len(payments) > MAX_PAYMENT_SOURCES:
        raise exceptions.CheckoutInvalid({"payments": [f"At most {MAX_PAYMENT_SOURCES} payment sources."]})


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
        except (exceptions.CheckoutError, ledger_exceptions.AccountException) as problem:
            problems.append(problem)
            return None

    collect(validate_address, details.shipping_address, "shipping_address")
    collect(validate_address, details.billing_address, "billing_address")
    basket = _locked_basket(request, basket_id)
    accounts = []
    for index, source in enumerate(payments):  # judged before the rest, so their refusals come too
        accounts.append(collect(resolve_source, index, source, request, basket.currency, field=f"payments.{index}"))
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
        context={"request": request},
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


def pay_basket_from_accounts(
    *, request, basket_id: int, payments: list[PaymentSourceRequest], details: CheckoutDetails,
    idempotency_key: str | None = None,
) -> PaymentResult:
    """Pay the basket from the given sources and place the order; see the module docstring."""
    check_sources(payments)

    def action():
        with transaction.atomic():
            serializer = prepare_checkout(AccountsCheckoutSerializer, request=request, basket_id=basket_id,
                                          payments=payments, details=details)
            order = serializer.save()
            placed.update(order=order, transfers=serializer.transfers)
            return {"order": order.pk, "transfers": [t.pk for t in serializer.transfers]}

    placed = {}  # this call's own order and transfers: no need to read them back

    result, replayed = run_idempotent(
        scope=Scope.of_request(request), key=idempotency_key, operation="pay_basket",
        payload=idempotency_payload(basket_id, payments, details),
        action=action,
    )
    if not replayed:
        return PaymentResult(order=placed["order"], transfers=placed["transfers"])
    transfers = list(Transfer.objects.filter(pk__in=result["transfers"]).order_by("pk"))
    return PaymentResult(order=Order.objects.get(pk=result["order"]), transfers=transfers, replayed=True)
