"""Gift cards sold in the shop, for staff: the figures, the list, one sale with its delivery log, resend.
Each page performs an operation of the permission table; resend calls the same service as the API."""
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from headless_store.giftcard_sales import selectors
from headless_store.giftcard_sales.exceptions import GiftCardSaleNotFound
from headless_store.giftcard_sales.models import GiftCardSale
from headless_store.giftcard_sales.services import resend
from headless_store.kernel.dashboard import refusals_shown


class SalesFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *GiftCardSale.Status.choices])
    period = forms.ChoiceField(required=False, choices=[("month", "Per month"), ("week", "Per week"),
                                                        ("day", "Per day")])


class GiftCardSalesView(TemplateView):
    template_name = "giftcard_sales/dashboard/sale_list.html"

    def get_context_data(self, **kwargs):
        form = SalesFilter(self.request.GET or None)
        status = period = None
        if form.is_valid():
            status, period = form.cleaned_data["status"] or None, form.cleaned_data["period"] or None
        sales = selectors.sales_for_staff(status=status).order_by("-pk")
        page = Paginator(sales, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "form": form, "page": page,
                "per_period": selectors.sold_per_period(period=period or "month")[:24],
                "outstanding": selectors.outstanding_liability(),
                "failed": GiftCardSale.objects.filter(status=GiftCardSale.Status.FAILED).count()}


class ResendForm(forms.Form):
    email = forms.EmailField(required=False, label="Send to another address",
                             help_text="Empty: to the recipient's address. The code sent before stops working.")


class GiftCardSaleView(TemplateView):
    template_name = "giftcard_sales/dashboard/sale_detail.html"

    def get_context_data(self, **kwargs):
        sale = get_object_or_404(GiftCardSale.objects.select_related("order", "account", "line"), pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), "sale": sale, "deliveries": sale.deliveries.all()[:100],
                "form": kwargs.get("form") or ResendForm()}


class ResendView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ResendForm(request.POST)
        if not form.is_valid():
            page = GiftCardSaleView()
            page.setup(request, pk=pk)
            return page.render_to_response(page.get_context_data(pk=pk, form=form))
        with refusals_shown(request) as refused:
            delivery = resend(sale_id=pk, staff=request.user, to_email=form.cleaned_data["email"] or None)
        if isinstance(refused.refusal, GiftCardSaleNotFound):
            return redirect("giftcard_sales_dashboard:gift-card-sales")
        if not refused:
            messages.success(request, f"Gift card sent to {delivery.to_email} with a new code.")
        return redirect("giftcard_sales_dashboard:gift-card-sale", pk=pk)
