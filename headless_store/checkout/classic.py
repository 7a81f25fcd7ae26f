"""Oscar's server-rendered checkout paid from ledger accounts, gift-card codes and a card: a
mixin for Oscar's `PaymentDetailsView`, used through Oscar's documented override (a fork of the
checkout app, `headless_store/shop_checkout/`). A shop on the classic checkout adds that one app.

1. **Payment details** (the form on Oscar's payment step): the shopper ticks their accounts
   (listed with what they can spend, `amount_available`), types gift-card codes and, when those
   do not cover the order, a card. On submit the total is allocated over the sources with the
   headless checkout's rules (product ranges, shipping, what each may spend) and each allocation
   is **held** (`facade.hold`, expiring after ACCOUNTS_HOLD_TIMEOUT) under the order number the
   order will have. Submitting again releases the earlier holds first.
2. **Place order** (`handle_payment`): the holds are checked (still pending, still the total),
   the card is authorised for the rest through the configured gateway, and the payment sources
   and events are recorded the Oscar way (`add_payment_source`, `add_payment_event`).
3. **Placement** (`handle_order_placement`): in one database transaction Oscar writes the order
   and the holds are captured (transfers to Redemptions with the order number, posted last),
   the "Accounts" source is debited, the card checkout is recorded (so refunds, the capture task
   and the sweep treat it as the headless checkout's) and `order_paid` is sent (loyalty points,
   events). If anything in it fails, the order is rolled back, the holds are voided and the card
   authorisation released: nothing is taken. Capturing with the order, rather than before it as
   django-oscar-accounts' article does, means money never moves without an order and an order
   never exists without its money, so no reversal is ever needed to undo a failed placement.
4. **Walking away**: the holds expire and the periodic sweep releases them.
"""
import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from oscar.apps.payment.exceptions import PaymentError, UnableToTakePayment
from oscar.core.loading import get_model

from headless_store.kernel.dashboard import show_refusal
from headless_store.kernel.refusals import Refusal
from headless_store.ledger import core, facade
from headless_store.ledger import exceptions as ledger_exceptions
from headless_store.ledger.conf import settings as ledger_settings
from headless_store.ledger.models import Account, Hold
from headless_store.ledger.money import Money

from .allocation import PaymentSourceRequest, allocate, resolve_source
from .bookkeeping import (
    PAYMENT_EVENT_NAME,
    PAYMENT_SOURCE_NAME,
    order_number_for,
    payment_event_types,
    record_payment_events,
    source_type_named,
)
from .card import CARD_AUTHORISED, CARD_CAPTURED, void_lost_authorisation, void_quietly
from .gateways import GatewayUnavailable, PaymentDeclined, PaymentNeedsRetry, check_card_token, get_gateway
from .models import CardCheckout
from .signals import order_paid
from .tasks import capture_card as capture_card_task

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Source = get_model("payment", "Source")

SESSION_KEY = "store_checkout_holds"
MAX_CODES = 5


class AccountChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, account):
        available = account.amount_available
        spendable = "no limit" if available is None else f"{Money(available, account.currency)}"
        return f"{account.name} ({spendable} available)"


class LedgerPaymentForm(forms.Form):
    """The payment step: the shopper's accounts, gift-card codes and a card for the rest."""

    accounts = AccountChoiceField(queryset=Account.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label="Pay from my accounts")
    codes = forms.CharField(required=False, label="Gift-card codes", max_length=200,
                            help_text="One or more codes, separated by spaces or commas.",
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    card_token = forms.CharField(required=False, label="Card for the rest", max_length=255,
                                 widget=forms.TextInput(attrs={"autocomplete": "cc-number"}))

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts if accounts is not None else Account.objects.none()

    def clean_codes(self):
        codes = [code for code in self.cleaned_data["codes"].replace(",", " ").split() if code]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(f"At most {MAX_CODES} gift-card codes.")
        return codes


def usable_accounts(user, currency: str):
    """The shopper's open, active accounts in the basket's currency with money to spend."""
    accounts = Account.active.visible_to(user).filter(currency=currency, status=Account.OPEN)
    return accounts.filter(Q(credit_limit__isnull=True) | Q(balance__gt=F("held") - F("credit_limit"))).order_by("pk")


class LedgerPaymentMixin:
    """Mix into Oscar's PaymentDetailsView (before it) to take payment from ledger accounts, gift
    cards and the card; see the module docstring."""

    payment_form_class = LedgerPaymentForm

    # --- the payment step ---------------------------------------------------------------------

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.request.basket
        context.setdefault("payment_form", kwargs.get("payment_form") or self.payment_form_class(
            accounts=usable_accounts(self.request.user, basket.currency)))
        holds = self._held()
        context["ledger_holds"] = holds
        context["ledger_amount"] = sum((h.amount for h in holds), Decimal("0"))
        order_total = context.get("order_total")
        if order_total is not None:
            context["card_amount"] = max(order_total.incl_tax - context["ledger_amount"], Decimal("0"))
        return context

    def handle_payment_details_submission(self, request):
        basket = request.basket
        form = self.payment_form_class(request.POST, accounts=usable_accounts(request.user, basket.currency))
        if not form.is_valid():
            return self.render_payment_details(request, payment_form=form)
        self.release_holds()
        shipping_address = self.get_shipping_address(basket)
        shipping_method = self.get_shipping_method(basket, shipping_address)
        shipping_charge = shipping_method.calculate(basket)
        total = self.get_order_totals(basket, shipping_charge=shipping_charge).incl_tax
        sources = [PaymentSourceRequest(account_id=a.pk) for a in form.cleaned_data["accounts"]]
        sources += [PaymentSourceRequest(code=code) for code in form.cleaned_data["codes"]]
        try:
            accounts = []
            for index, source in enumerate(sources):
                with ledger_exceptions.blame(f"payments.{index}"):
                    accounts.append(resolve_source(index, source, request, basket.currency))
            allocations = allocate(sources, accounts, basket, shipping_charge.incl_tax, total, basket.currency,
                                   leave_rest=True)
            rest = total - sum((amount for _account, amount in allocations), Decimal("0"))
            if rest > 0 and not form.cleaned_data["card_token"]:
                raise ledger_exceptions.InvalidInput(
                    f"{Money(rest, basket.currency)} is still due: add a card, an account or a "
                    "gift card.", field="card_token")
            if rest > 0:
                check_card_token(get_gateway(), form.cleaned_data["card_token"])
            self._hold(basket, allocations, total)
        except Refusal as refusal:
            show_refusal(request, refusal, form, field=lambda problem: _form_field(problem, sources))
            return self.render_payment_details(request, payment_form=form)
        return self.render_preview(request, payment_form=form)

    def handle_place_order_submission(self, request):
        card_token = request.POST.get("card_token", "")
        return self.submit(**self.build_submission(payment_kwargs={"card_token": card_token}))

    def generate_order_number(self, basket):
        return order_number_for(basket)

    # --- taking the money ---------------------------------------------------------------------

    def handle_payment(self, order_number, total, card_token="", **kwargs):
        holds = self._held()
        ledger_amount = sum((h.amount for h in holds), Decimal("0"))
        expected = self.request.session.get(SESSION_KEY, {})
        if ([h.pk for h in holds] != expected.get("holds", []) or any(h.merchant_reference != order_number for h in holds)
                or expected.get("state") != basket_state(self.request.basket, total.incl_tax)):
            self.release_holds()
            raise UnableToTakePayment("The money held from your accounts was released (it expired, or the basket "
                                      "changed). Nothing was taken: choose how to pay again.")
        rest = total.incl_tax - ledger_amount
        if rest < 0:
            self.release_holds()
            raise UnableToTakePayment("Your basket changed. Nothing was taken: choose how to pay again.")
        self._ledger = (holds, ledger_amount, total.currency)
        self._card = None
        if ledger_amount:
            source_type = source_type_named(PAYMENT_SOURCE_NAME)
            self.add_payment_source(Source(source_type=source_type, currency=total.currency,
                                           amount_allocated=ledger_amount, reference=order_number,
                                           label=PAYMENT_SOURCE_NAME))
        if rest > 0:
            self._card = (self._authorise(order_number, rest, total.currency, card_token), rest)
            authorisation = self._card[0]
            source_type = source_type_named(get_gateway().source_name)
            self.add_payment_source(Source(source_type=source_type, currency=total.currency, amount_allocated=rest,
                                           reference=authorisation.reference, label=authorisation.label))
            self.add_payment_event(CARD_AUTHORISED, rest, authorisation.reference)

    def _authorise(self, order_number, amount, currency, card_token):
        gateway = get_gateway()
        key = f"classic-{order_number}-{secrets.token_hex(6)}"
        try:
            token = check_card_token(gateway, card_token)
            return gateway.authorise(amount=amount, currency=currency, token=token, reference=order_number,
                                     idempotency_key=key)
        except ledger_exceptions.InvalidInput as refusal:
            raise UnableToTakePayment(str(refusal)) from refusal
        except (PaymentDeclined, PaymentNeedsRetry) as refusal:
            raise UnableToTakePayment(f"{refusal} Nothing was taken from your accounts.") from refusal
        except GatewayUnavailable as error:
            void_lost_authorisation(gateway, key, order_number)
            raise PaymentError("The card processor did not answer; nothing was charged.") from error

    def handle_order_placement(self, order_number, user, basket, shipping_address, shipping_method, shipping_charge,
                               billing_address, order_total, surcharges=None, **kwargs):
        holds, ledger_amount, currency = self._ledger
        try:
            with transaction.atomic():
                order = self.place_order(
                    order_number=order_number, user=user, basket=basket, shipping_address=shipping_address,
                    shipping_method=shipping_method, shipping_charge=shipping_charge, order_total=order_total,
                    billing_address=billing_address, surcharges=surcharges, **kwargs)
                self._take(order, holds, ledger_amount)
                basket.submit()
                order_paid.send(sender=Order, order=order)
        except BaseException:
            self.release_holds()
            if self._card is not None:
                void_quietly(get_gateway(), self._card[0].reference)
            raise
        self.request.session.pop(SESSION_KEY, None)
        return self.handle_successful_order(order)

    def _take(self, order, holds, ledger_amount) -> None:
        """Inside the order's transaction: capture the holds (Redemptions last), debit the
        "Accounts" source, record the card as a paid card checkout and queue its capture."""
        lines = list(order.lines.all())
        types = payment_event_types([PAYMENT_EVENT_NAME, CARD_AUTHORISED, CARD_CAPTURED])
        transfers = [facade.capture(hold) for hold in holds]
        if transfers:
            Source.objects.filter(order=order, source_type__name=PAYMENT_SOURCE_NAME).update(
                amount_debited=ledger_amount)
            record_payment_events(order, [(PAYMENT_EVENT_NAME, t.amount, t.reference) for t in transfers], lines, types)
        if self._card is not None:
            authorisation, amount = self._card
            checkout = CardCheckout.objects.create(
                token=secrets.token_urlsafe(24), order=order, basket_id=order.basket_id, user=order.user,
                currency=order.currency, ledger_amount=ledger_amount, card_amount=amount,
                expires_at=timezone.now(), gateway=get_gateway().source_name, attempt=1,
                status=CardCheckout.Status.PAID, authorisation=authorisation.reference, card_label=authorisation.label,
                card_source=Source.objects.get(order=order, reference=authorisation.reference),
            )
            capture_card_task.enqueue(checkout.pk)

    # --- holds in the session -----------------------------------------------------------------

    def _hold(self, basket, allocations, total) -> None:
        number = order_number_for(basket)
        user = self.request.user if self.request.user.is_authenticated else None
        redemptions = core.redemptions_account(basket.currency)
        expires_at = timezone.now() + timedelta(seconds=ledger_settings.ACCOUNTS_HOLD_TIMEOUT)
        with transaction.atomic():
            holds = [facade.hold(account, redemptions, amount, user=user, merchant_reference=number,
                                 description=f"Payment for order {number}", expires_at=expires_at)
                     for account, amount in allocations]
        self.request.session[SESSION_KEY] = {"basket": basket.pk, "holds": [hold.pk for hold in holds],
                                             "state": basket_state(basket, total)}

    def _held(self) -> list:
        """This checkout's holds that can still be captured."""
        data = self.request.session.get(SESSION_KEY) or {}
        if data.get("basket") != getattr(self.request.basket, "pk", None):
            return []
        now = timezone.now()
        return list(Hold.objects.filter(pk__in=data.get("holds", []), status=Hold.Status.PENDING,
                                        expires_at__gt=now).order_by("pk"))

    def release_holds(self) -> None:
        """Void this checkout's pending holds (a new payment step, a failed placement)."""
        data = self.request.session.pop(SESSION_KEY, None) or {}
        for hold in Hold.objects.filter(pk__in=data.get("holds", []), status=Hold.Status.PENDING):
            try:
                facade.void(hold)
            except ledger_exceptions.AccountException:  # captured or ended meanwhile
                logger.info("Hold %s was not pending any more", hold.pk)


def basket_state(basket, total) -> list:
    """What the holds were allocated for: the basket's products and quantities and the order's
    total. Another tab changing the basket between the payment step and placing the order (a line
    a range-limited account may not pay for, a different total) makes the holds stale."""
    return [[line.product_id, line.quantity] for line in sorted(basket.all_lines(), key=lambda line: line.pk)] + [
        str(total)]


def _form_field(refusal, sources) -> str | None:
    """The form field a refusal belongs to: `payments.2...` is the third source (an account or
    a code), `card_token` the card; anything else is about the whole payment."""
    path = getattr(refusal, "field", None) or ""
    if path == "card_token":
        return "card_token"
    if path.startswith("payments."):
        index = path.split(".")[1]
        if index.isdigit() and int(index) < len(sources):
            return "codes" if sources[int(index)].code else "accounts"
    return None
