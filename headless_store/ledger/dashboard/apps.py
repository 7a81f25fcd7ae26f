"""Oscar dashboard pages for the ledger: accounts, gift cards, transfers and reports.

Mounted at /dashboard/accounts/ (namespace `ledger_dashboard`); every page needs a staff user
with the matching `ledger.*` permission, as Oscar's dashboard apps do with `permissions_map`.
"""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from ..permissions import dashboard_permissions_map, rule_for

#: page -> the operation it performs (see ledger/permissions.py, which the GraphQL API reads too)
PAGE_OPERATIONS = {
    "ledger-account-list": "accounts",
    "ledger-account-detail": "account",
    "ledger-account-statement": "account",
    "ledger-account-create": "create_account",
    "ledger-account-update": "update_account",
    "ledger-account-state": "freeze_account",
    "ledger-account-top-up": "top_up_account",
    "ledger-account-withdraw": "withdraw_from_account",
    "ledger-gift-cards-issue": "issue_gift_cards",
    "ledger-gift-cards-issued": "issue_gift_cards",
    "ledger-transfer-list": "all_transfers",
    "ledger-transfer-detail": "transfer",
    "ledger-transfer-reverse": "reverse_transfer",
    "ledger-report-deferred-income": "deferred_income_report",
    "ledger-report-profit-loss": "profit_loss_report",
    "ledger-report-breakage": "breakage_report",
    "ledger-report-dormancy": "dormancy_report",
    "ledger-report-expiring-lots": "expiring_lots_report",
}


class LedgerDashboardConfig(OscarDashboardConfig):
    label = "ledger_dashboard"
    name = "headless_store.ledger.dashboard"
    verbose_name = _("Ledger dashboard")
    namespace = "ledger_dashboard"
    default_permissions = rule_for("accounts").dashboard_permissions()
    permissions_map = dashboard_permissions_map(PAGE_OPERATIONS)

    def get_urls(self):
        from . import views

        urls = [
            path("", views.AccountListView.as_view(), name="ledger-account-list"),
            path("create/", views.AccountCreateView.as_view(), name="ledger-account-create"),
            path("<int:pk>/", views.AccountDetailView.as_view(), name="ledger-account-detail"),
            path("<int:pk>/statement/", views.AccountStatementView.as_view(), name="ledger-account-statement"),
            path("<int:pk>/update/", views.AccountUpdateView.as_view(), name="ledger-account-update"),
            path("<int:pk>/top-up/", views.TopUpView.as_view(), name="ledger-account-top-up"),
            path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="ledger-account-withdraw"),
            path("<int:pk>/<str:action>/", views.AccountStateView.as_view(), name="ledger-account-state"),
            path("gift-cards/issue/", views.IssueGiftCardsView.as_view(), name="ledger-gift-cards-issue"),
            path("gift-cards/issued/", views.IssuedGiftCardsView.as_view(), name="ledger-gift-cards-issued"),
            path("transfers/", views.TransferListView.as_view(), name="ledger-transfer-list"),
            path("transfers/<str:reference>/", views.TransferDetailView.as_view(), name="ledger-transfer-detail"),
            path("transfers/<str:reference>/reverse/", views.ReverseTransferView.as_view(), name="ledger-transfer-reverse"),
            path("reports/deferred-income/", views.DeferredIncomeReportView.as_view(), name="ledger-report-deferred-income"),
            path("reports/profit-loss/", views.ProfitLossReportView.as_view(), name="ledger-report-profit-loss"),
            path("reports/breakage/", views.BreakageReportView.as_view(), name="ledger-report-breakage"),
            path("reports/dormancy/", views.DormancyReportView.as_view(), name="ledger-report-dormancy"),
            path("reports/expiring-lots/", views.ExpiringLotsReportView.as_view(), name="ledger-report-expiring-lots"),
        ]
        return self.post_process_urls(urls)
