"""The loyalty app's Oscar dashboard page (the loyalty rule), mounted at /dashboard/store/
(namespace `loyalty_dashboard`). Access follows the permission table, as the ledger's pages do."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import dashboard_permissions_map

#: page -> the operation it performs (headless_store/ledger/permissions.py)
PAGE_OPERATIONS = {
    "loyalty-rule": "loyalty_rule",
}


class LoyaltyDashboardConfig(OscarDashboardConfig):
    label = "loyalty_dashboard"
    name = "headless_store.loyalty.dashboard"
    verbose_name = _("Loyalty dashboard")
    namespace = "loyalty_dashboard"
    default_permissions = ["is_staff"]
    permissions_map = dashboard_permissions_map(PAGE_OPERATIONS)

    def get_urls(self):
        from . import views

        urls = [
            path("loyalty/", views.LoyaltyRuleView.as_view(), name="loyalty-rule"),
        ]
        return self.post_process_urls(urls)
