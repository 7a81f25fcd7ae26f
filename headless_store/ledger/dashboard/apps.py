"""Oscar dashboard pages for the ledger: accounts, gift cards, transfers and reports.

Mounted at /dashboard/accounts/ (namespace `ledger_dashboard`); every page needs a staff user
with the matching `ledger.*` permission, as Oscar's dashboard apps do with `permissions_map`.
"""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

STAFF = "is_staff"


def perms(*codenames):
    return [STAFF, *(f"ledger.{codename}" for codename in codenames)]


class LedgerDashboardConfig(OscarDashboardConfig):
    label = "ledger_dashboard"
    name = "headless_store.ledger.dashboard"
    verbose_name = _("Ledger dashboard")
    namespace = "ledger_dashboard"
    default_permissions = perms("view_account")

    permissions_map = {
        "ledger-account-list": perms("view_account"),
        "ledger-account-detail": perms("view_account"),
        "ledger-account-create": perms("view_account", "manage_accounts"),
        "ledger-account-update": perms("view_account", "manage_accounts"),
        "ledger-account-state": perms("view_account", "manage_accounts"),
        "ledger-account-top-up": perms("view_account", "move_money"),
        "ledger-account-withdraw": perms("view_account", "move_money"),
        "ledger-gift-cards-issue": perms("view_account", "issue_gift_cards"),
        "ledger-gift-cards-issued": perms("view_account", "issue_gift_cards"),
        "ledger-transfer-list": perms("view_transfer"),
        "ledger-transfer-detail": perms("view_transfer"),
        "ledger-transfer-reverse": perms("view_transfer", "reverse_transfer"),
        "ledger-report-deferred-income": perms("view_reports"),
        "ledger-report-profit-loss": perms("view_reports"),
    }

    def get_urls(self):
        from . import views

        urls = [
            path("", views.AccountListView.as_view(), name="ledger-account-list"),
            path("create/", views.AccountCreateView.as_view(), name="ledger-account-create"),
            path("<int:pk>/", views.AccountDetailView.as_view(), name="ledger-account-detail"),
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
        ]
        return self.post_process_urls(urls)
