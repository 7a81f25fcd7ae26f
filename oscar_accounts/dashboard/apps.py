"""OA's dashboard url names (`accounts_dashboard:accounts-list`, `accounts-freeze`,
`transfers-list`, `report-deferred-income`, ...: all twelve of OA 3.0.1) as aliases of the
ledger's pages, with the ledger's permissions.

A project that followed OA's set-up keeps its settings: `INSTALLED_APPS` lists this config, its
urls mount `apps.get_app_config("accounts_dashboard").urls`, and the article's
`OSCAR_DASHBOARD_NAVIGATION` entries resolve, namespaced or not (`oscar_accounts.dashboard.urls`
serves the names without a namespace too). The pages are headless_store's."""
from django.urls import path
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import rule_for

#: OA url name -> (path, the ledger page it is, the ledger's operation for its permission, view kwargs)
ALIASES = {
    "accounts-list": ("", "AccountListView", "accounts", {}),
    "accounts-create": ("create/", "AccountCreateView", "create_account", {}),
    "accounts-update": ("<int:pk>/update/", "AccountUpdateView", "update_account", {}),
    "accounts-detail": ("<int:pk>/", "AccountDetailView", "account", {}),
    "accounts-freeze": ("<int:pk>/freeze/", "AccountStateView", "freeze_account", {"action": "freeze"}),
    "accounts-thaw": ("<int:pk>/thaw/", "AccountStateView", "thaw_account", {"action": "thaw"}),
    "accounts-top-up": ("<int:pk>/top-up/", "TopUpView", "top_up_account", {}),
    "accounts-withdraw": ("<int:pk>/withdraw/", "WithdrawView", "withdraw_from_account", {}),
    "transfers-list": ("transfers/", "TransferListView", "all_transfers", {}),
    "transfers-detail": ("transfers/<str:reference>/", "TransferDetailView", "transfer", {}),
    "report-deferred-income": ("reports/deferred-income/", "DeferredIncomeReportView", "deferred_income_report", {}),
    "report-profit-loss": ("reports/profit-loss/", "ProfitLossReportView", "profit_loss_report", {}),
}


def alias_patterns():
    """The aliases as url patterns (no permission decorators: requests for these paths resolve
    to the ledger's own pages, mounted first, which check them)."""
    from headless_store.ledger.dashboard import views

    return [path(route, getattr(views, view).as_view(), kwargs or None, name=name)
            for name, (route, view, _op, kwargs) in ALIASES.items()]


class AccountsDashboardConfig(OscarDashboardConfig):
    name = "oscar_accounts.dashboard"
    label = "accounts_dashboard"
    namespace = "accounts_dashboard"
    default_permissions = rule_for("accounts").dashboard_permissions()
    permissions_map = {name: rule_for(op).dashboard_permissions() for name, (_p, _v, op, _k) in ALIASES.items()}

    def get_urls(self):
        return self.post_process_urls(alias_patterns())
