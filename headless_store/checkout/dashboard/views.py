"""The checkout app's dashboard page: refunding an order (linked from Oscar's order page). It
performs an operation of the permission table (headless_store/ledger/permissions.py), which the
staff API reads too; the service is the API's."""
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from oscar.core.loading import get_model

from headless_store.checkout.refunds import RefundDestination, refund_order, refundable
from headless_store.kernel.dashboard import refusals_shown
from headless_store.ledger.dashboard.forms import AmountField, IdempotentForm, MoneyForm
from headless_store.ledger.money import Money

Order = get_model("order", "Order")


class RefundForm(IdempotentForm, MoneyForm):
    """An amount of the order's currency (its own decimal places: JPY 0, BHD 3) or some lines; the
    key made when the form is shown makes a second submission refund nothing more."""

    destination = forms.ChoiceField(choices=[(RefundDestination.CARD.value, "To the card"),
                                             (RefundDestination.ACCOUNTS.value, "To the accounts that paid"),
                                             (RefundDestination.STORE_CREDIT.value, "To the customer's store credit")])
    amount = AmountField(min_value=0, required=False, help_text="Or choose quantities of lines below.")
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency_code = order.currency if order is not None else None
        for line in order.lines.all() if order is not None else ():
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                min_value=0, max_value=line.quantity, required=False,
                label=f"{line.title} (x{line.quantity}, {line.line_price_incl_tax} paid in all)")

    def refund_lines(self) -> list:
        return [(int(name[5:]), value) for name, value in self.cleaned_data.items()
                if name.startswith("line_") and value]


class OrderRefundView(FormView):
    template_name = "checkout/dashboard/order_refund.html"
    form_class = RefundForm

    def dispatch(self, request, *args, **kwargs):
        self.order = get_object_or_404(Order, number=kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.order}

    def get_context_data(self, **kwargs):
        left = refundable(self.order)
        return super().get_context_data(order=self.order, card_left=left[RefundDestination.CARD],
                                        accounts_left=left[RefundDestination.ACCOUNTS],
                                        credit_left=left[RefundDestination.STORE_CREDIT], **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request) as refused:
            refund = refund_order(order=self.order, staff=self.request.user, amount=data["amount"],
                                  lines=form.refund_lines() or None,
                                  destination=RefundDestination(data["destination"]), reason=data["reason"],
                                  idempotency_key=data["idempotency_key"])
        if refused:
            return redirect("checkout_dashboard:order-refund", number=self.order.number)
        where = {RefundDestination.CARD: "the card", RefundDestination.ACCOUNTS: "the accounts that paid",
                 RefundDestination.STORE_CREDIT: "the customer's store credit"}[refund.destination]
        messages.success(self.request, f"Refunded {Money(refund.amount, self.order.currency)} to {where}.")
        return redirect("dashboard:order-detail", number=self.order.number)
