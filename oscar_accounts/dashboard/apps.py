"""OA's dashboard url names (`accounts_dashboard:accounts-list`, `transfers-list`,
`report-deferred-income`, ...) as aliases of the ledger's pages, with the same permissions.

A project that followed OA's set-up keeps its settings: `INSTALLED_APPS` lists this config, its
urls mount `apps.get_app_config("accounts_dashboard").urls`, and the article's
`OSCAR_DASHBOARD_NAVIGATION` entries resolve. The pages are headless_store's."""
from django.urls import path
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import rule_for

#: OA url name -> (path, the ledger page it is, the ledger's operation for its permission)
ALIASES = {
    "accounts-list": ("", "AccountListView", "accounts"),
    "accounts-create": ("create/", "AccountCreateView", "create_account"),
    "accounts-update": ("<int:pk>/update/", "AccountUpdateView", "update_account"),
    "accounts-detail": ("<int:pk>/", "AccountDetailView", "account"),
    "accounts-top-up": ("<int:pk>/top-up/", "TopUpView", "top_up_account"),
    "accounts-withdraw": ("<int:pk>/withdraw/", "WithdrawView", "withdraw_from_account"),
    "transfers-list": ("transfers/", "TransferListView", "all_transfers"),
    "transfers-detail": ("transfers/<str:reference>/", "TransferDetailView", "transfer"),
    "report-deferred-income": ("reports/deferred-income/", "DeferredIncomeReportView", "deferred_income_report"),
    "report-profit-loss": ("reports/profit-loss/", "ProfitLossReportView", "profit_loss_report"),
}


class AccountsDashboardConfig(OscarDashboardConfig):
    name = "oscar_accounts.dashboard"
    label = "accounts_dashboard"
    namespace = "accounts_dashboard"
    default_permissions = rule_for("accounts").dashboard_permissions()
    permissions_map = {name: rule_for(operation).dashboard_permissions() for name, (_p, _v, operation) in ALIASES.items()}

    def get_urls(self):
        from headless_store.ledger.dashboard import views

        urls = [path(route, getattr(views, view).as_view(), name=name) for name, (route, view, _op) in ALIASES.items()]
        return self.post_process_urls(urls)
