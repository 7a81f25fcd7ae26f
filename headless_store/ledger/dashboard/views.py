"""Dashboard views: each validates a form, calls one ledger service or selector, and says what
happened. Access is checked by LedgerDashboardConfig.permissions_map (Oscar's decorator)."""
import csv
import io
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from headless_store.kernel.dashboard import refusals_shown

from ..conf import settings as ledger_settings
from ..models import Account, Leg, Transfer
from ..money import Money, quantize
from ..permissions import is_allowed
from ..selectors.accounts import search_accounts
from ..selectors.credit_reports import breakage_report, dormancy_report, expiring_lots_report
from ..selectors.reports import (
    AGE_BUCKETS,
    AGE_LABELS,
    PL_LINES,
    account_statement,
    deferred_income_report,
    profit_loss_report,
)
from ..selectors.transfers import search_transfers
from ..services import accounts as account_services
from ..services import giftcards as giftcard_services
from ..services import transfers as transfer_services
from . import forms

PAGE = settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE  # Oscar declares its default
SESSION_CODES = "ledger_dashboard_issued_codes"


def page_of(request, items):
    return Paginator(items, PAGE).get_page(request.GET.get("page"))


def listing(request, form, items) -> dict:
    """Context for a searchable, paginated list: the form, the page, and the search as a query."""
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page_of(request, items), "query": query.urlencode()}


class AccountMixin:
    def dispatch(self, request, *args, **kwargs):
        self.account = get_object_or_404(Account.objects.select_related("account_type", "primary_user"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def detail_url(self):
        return reverse("ledger_dashboard:ledger-account-detail", args=[self.account.pk])


class AccountListView(TemplateView):
    template_name = "ledger/dashboard/account_list.html"

    def get_context_data(self, **kwargs):
        form = forms.AccountSearchForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        accounts = search_accounts(
            search=filters.get("q"), type_codes=[filters["type_code"]] if filters.get("type_code") else None,
            statuses=[filters["status"]] if filters.get("status") else None, currency=filters.get("currency"),
        ).order_by("-pk")
        return super().get_context_data(**listing(self.request, form, accounts), **kwargs)


class AccountDetailView(AccountMixin, TemplateView):
    template_name = "ledger/dashboard/account_detail.html"

    def get_context_data(self, **kwargs):
        legs = Leg.objects.filter(account=self.account).select_related("transfer").order_by("-pk")
        return super().get_context_data(
            page=page_of(self.request, legs),
            secondary_users=self.account.secondary_users.all(),
            can_manage=is_allowed(self.request.user, "update_account"),
            can_move=is_allowed(self.request.user, "top_up_account"),
            **kwargs,
        )


class AccountStatementView(AccountMixin, TemplateView):
    """An account's statement for a period (default: this month so far); ?format=csv downloads it."""

    template_name = "ledger/dashboard/account_statement.html"

    def get(self, request, *args, **kwargs):
        form = forms.StatementForm(request.GET or None)
        statement = None
        if form.is_valid():
            now = timezone.now()
            start = form.cleaned_data.get("start") or now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            end = form.cleaned_data.get("end") or now
            with refusals_shown(request, form):
                statement = account_statement(self.account, start, end)
        if statement is not None and request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv")
            response["Content-Disposition"] = (
                f'attachment; filename="statement-{self.account.pk}-{start:%Y%m%d}-{end:%Y%m%d}.csv"')
            writer = csv.writer(response)
            for row in statement.csv_rows():
                writer.writerow(row)
            return response
        query = request.GET.copy()
        query["format"] = "csv"
        return self.render_to_response(self.get_context_data(form=form, statement=statement,
                                                             csv_query=query.urlencode()))


class AccountCreateView(FormView):
    template_name = "ledger/dashboard/account_form.html"
    form_class = forms.AccountCreateForm

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request, form) as refused:
            account = account_services.open_account(
                staff=self.request.user, type_code=data["type_code"], currency=data["currency"],
                opening_balance=data["opening_balance"], source=data["source_account"], **form.account_fields(),
            )
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, f"Account “{account.name}” opened.")
        return redirect("ledger_dashboard:ledger-account-detail", pk=account.pk)


class AccountUpdateView(AccountMixin, FormView):
    template_name = "ledger/dashboard/account_form.html"
    form_class = forms.AccountFieldsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "currency": self.account.currency}

    def get_initial(self):
        account = self.account
        return {
            "name": account.name, "description": account.description, "primary_user": account.primary_user.email if account.primary_user else "",
            "credit_limit": account.credit_limit or 0, "unlimited_credit": account.credit_limit is None,
            "start_date": account.start_date, "end_date": account.end_date, "product_range": account.product_range,
            "can_be_used_for_non_products": account.can_be_used_for_non_products,
        }

    def form_valid(self, form):
        with refusals_shown(self.request, form) as refused:
            account_services.update_account(self.account, staff=self.request.user, **form.account_fields())
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, "Account updated.")
        return redirect(self.detail_url())


class MoveMoneyView(AccountMixin, FormView):
    template_name = "ledger/dashboard/move_money.html"
    form_class = forms.MoveMoneyForm
    service = None
    counter = None
    verb = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "account": self.account}

    def get_context_data(self, **kwargs):
        return super().get_context_data(verb=self.verb, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request, form, field="amount") as refused:
            transfer = type(self).service(
                self.account, data["amount"], staff=self.request.user, description=data["description"] or None,
                idempotency_key=data["idempotency_key"], **{self.counter: data["counter_account"]},
            )
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, f"{self.verb}: {Money(transfer.amount, transfer.currency)}.")
        return redirect(self.detail_url())


class TopUpView(MoveMoneyView):
    service = transfer_services.top_up_account
    counter = "source"
    verb = "Top up"


class WithdrawView(MoveMoneyView):
    service = transfer_services.withdraw_from_account
    counter = "destination"
    verb = "Withdraw"


class AccountStateView(AccountMixin, View):
    """POST freeze, thaw or close: each is a checked transition of the current state."""

    actions = {"freeze": account_services.freeze_account, "thaw": account_services.thaw_account,
               "close": account_services.close_account}

    def post(self, request, pk, action):
        if action not in self.actions:
            raise Http404("No such action.")
        with refusals_shown(request) as refused:
            self.actions[action](self.account)
        if not refused:
            messages.success(request, f"Account {self.account.get_status_display().lower()}.")
        return redirect(self.detail_url())


class IssueGiftCardsView(FormView):
    template_name = "ledger/dashboard/issue_gift_cards.html"
    form_class = forms.IssueGiftCardsForm

    def form_valid(self, form):
        data = form.cleaned_data
        with refusals_shown(self.request, form) as refused:
            batch = giftcard_services.issue_gift_cards(
                staff=self.request.user, count=data["count"], amount=data["amount"], currency=data["currency"],
                end_date=data["end_date"], product_range=data["product_range"], source=data["source_account"],
            )
        if refused:
            return self.form_invalid(form)
        # Held in the session only until the next page shows them (once); never in the database.
        self.request.session[SESSION_CODES] = [
            {"code": card.code, "account": card.account.pk, "amount": str(quantize(card.account.balance, data["currency"])),
             "currency": data["currency"], "expires": data["end_date"].isoformat() if data["end_date"] else ""}
            for card in batch.cards
        ]
        messages.success(self.request, f"{len(batch.cards)} gift cards issued.")
        return redirect("ledger_dashboard:ledger-gift-cards-issued")


class IssuedGiftCardsView(TemplateView):
    """Shows the codes of the batch just issued, once: they leave the session as this page is
    built, and the CSV download is embedded in the page itself (nothing is kept server-side)."""

    template_name = "ledger/dashboard/issued_gift_cards.html"

    def get(self, request, *args, **kwargs):
        cards = request.session.pop(SESSION_CODES, None)
        if not cards:
            messages.info(request, "Gift-card codes are shown only once, right after they are issued.")
            return redirect("ledger_dashboard:ledger-account-list")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["code", "amount", "currency", "expires", "account_id"])
        for card in cards:
            writer.writerow([card["code"], card["amount"], card["currency"], card["expires"], card["account"]])
        csv_url = "data:text/csv;charset=utf-8," + quote(buffer.getvalue())
        response = self.render_to_response(self.get_context_data(cards=cards, csv_url=csv_url,
                                                                 csv_name=f"gift-cards-{timezone.now():%Y%m%d-%H%M%S}.csv"))
        response["Cache-Control"] = "no-store"
        return response


class TransferListView(TemplateView):
    template_name = "ledger/dashboard/transfer_list.html"

    def get_context_data(self, **kwargs):
        form = forms.TransferSearchForm(self.request.GET or None)
        transfers = search_transfers()
        if form.is_valid():
            with refusals_shown(self.request, form):
                transfers = search_transfers(**form.cleaned_data)
        return super().get_context_data(**listing(self.request, form, transfers), **kwargs)


class TransferMixin:
    def dispatch(self, request, *args, **kwargs):
        self.transfer = get_object_or_404(
            Transfer.objects.select_related("source", "destination", "parent", "user"), reference=kwargs["reference"]
        )
        return super().dispatch(request, *args, **kwargs)


class TransferDetailView(TransferMixin, TemplateView):
    template_name = "ledger/dashboard/transfer_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            transfer=self.transfer,
            legs=self.transfer.transactions.select_related("account").order_by("pk"),
            reversals=self.transfer.related_transfers.order_by("pk"),
            refundable=self.transfer.max_refund(),
            form=forms.ReverseForm(currency=self.transfer.currency),
            can_reverse=is_allowed(self.request.user, "reverse_transfer"),
            **kwargs,
        )


class ReverseTransferView(TransferMixin, View):
    def post(self, request, reference):
        form = forms.ReverseForm(request.POST, currency=self.transfer.currency)
        if not form.is_valid():
            messages.error(request, "Enter a valid amount.")
        else:
            with refusals_shown(request) as refused:
                reversal = transfer_services.reverse_transfer(
                    self.transfer, staff=request.user, reason=form.cleaned_data["reason"],
                    amount=form.cleaned_data["amount"], idempotency_key=form.cleaned_data["idempotency_key"],
                )
            if not refused:
                messages.success(request, f"Reversed {Money(reversal.amount, reversal.currency)}.")
        return redirect("ledger_dashboard:ledger-transfer-detail", reference=reference)


class CsvReportMixin:
    """?format=csv turns a report page into a CSV download of the same numbers."""

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "csv" and context.get("report") is not None:
            response = HttpResponse(content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="{self.csv_name(context)}"'
            writer = csv.writer(response)
            for row in self.csv_rows(context["report"]):
                writer.writerow(row)
            return response
        return super().render_to_response(context, **kwargs)


class DeferredIncomeReportView(CsvReportMixin, TemplateView):
    template_name = "ledger/dashboard/report_deferred_income.html"

    def get_context_data(self, **kwargs):
        form = forms.DeferredIncomeForm(self.request.GET or {"date": timezone.localdate()})
        report = None
        if form.is_valid():
            with refusals_shown(self.request, form):
                report = deferred_income_report(form.cleaned_data["date"], form.cleaned_data["currency"] or None)
        return super().get_context_data(form=form, report=report, buckets=[(b, AGE_LABELS[b]) for b in AGE_BUCKETS],
                                        csv_query=self.request.GET.urlencode(), **kwargs)

    def csv_name(self, context):
        return f"deferred-income-{context['report'].date}.csv"

    def csv_rows(self, report):
        yield ["account_type", "currency", *[f"{b}_accounts" for b in AGE_BUCKETS], *[f"{b}_total" for b in AGE_BUCKETS],
               "accounts", "total"]
        for row in report.rows:
            yield [row.account_type, row.currency, *[row.buckets[b].accounts for b in AGE_BUCKETS],
                   *[row.buckets[b].total for b in AGE_BUCKETS], row.accounts, row.total]


class ProfitLossReportView(CsvReportMixin, TemplateView):
    template_name = "ledger/dashboard/report_profit_loss.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        initial = {"start_date": today.replace(day=1), "end_date": today, "currency": settings.OSCAR_DEFAULT_CURRENCY}
        form = forms.ProfitLossForm(self.request.GET or initial)
        report = None
        if form.is_valid():
            data = form.cleaned_data
            with refusals_shown(self.request, form):
                report = profit_loss_report(data["start_date"], data["end_date"], data["currency"])
        lines = [(label, report.lines[code]) for code, label in PL_LINES] if report else []
        return super().get_context_data(form=form, report=report, lines=lines,
                                        csv_query=self.request.GET.urlencode(), **kwargs)

    def csv_name(self, context):
        report = context["report"]
        return f"profit-loss-{report.start_date}-{report.end_date}-{report.currency}.csv"

    def csv_rows(self, report):
        yield ["line", "label", "amount", "currency"]
        for code, label in PL_LINES:
            yield [code, label, report.lines[code], report.currency]
        yield ["net", "Net income", report.net, report.currency]



class CreditReportView(CsvReportMixin, TemplateView):
    """A report whose selector result writes its own CSV rows (`csv_rows()`)."""

    form_class = None
    csv_prefix = ""

    def initial(self) -> dict:
        return {}

    def build(self, data):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        form = self.form_class(self.request.GET or self.initial())
        report = None
        if form.is_valid():
            with refusals_shown(self.request, form):
                report = self.build(form.cleaned_data)
        return super().get_context_data(form=form, report=report, csv_query=self.request.GET.urlencode(), **kwargs)

    def csv_name(self, context):
        return f"{self.csv_prefix}-{timezone.localdate()}.csv"

    def csv_rows(self, report):
        return report.csv_rows()


class BreakageReportView(CreditReportView):
    template_name = "ledger/dashboard/report_breakage.html"
    form_class = forms.BreakageForm
    csv_prefix = "breakage"

    def initial(self):
        today = timezone.localdate()
        return {"first_month": today.replace(month=1, day=1), "last_month": today}

    def build(self, data):
        return breakage_report(data["first_month"], data["last_month"], data["currency"] or None)

    def csv_name(self, context):
        report = context["report"]
        return f"breakage-{report.first_month:%Y-%m}-{report.last_month:%Y-%m}.csv"


class DormancyReportView(CreditReportView):
    template_name = "ledger/dashboard/report_dormancy.html"
    form_class = forms.DormancyForm
    csv_prefix = "dormancy"

    def initial(self):
        return {"months": ledger_settings.ACCOUNTS_DORMANCY_MONTHS}

    def build(self, data):
        return dormancy_report(data["months"], currency=data["currency"] or None)


class ExpiringLotsReportView(CreditReportView):
    template_name = "ledger/dashboard/report_expiring_lots.html"
    form_class = forms.ExpiringLotsForm
    csv_prefix = "expiring-lots"

    def initial(self):
        return {"days": ledger_settings.ACCOUNTS_EXPIRING_LOTS_DAYS}

    def build(self, data):
        return expiring_lots_report(data["days"], currency=data["currency"] or None)
