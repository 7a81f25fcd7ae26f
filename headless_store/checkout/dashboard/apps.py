"""The checkout app's Oscar dashboard page (refunding an order), mounted at /dashboard/store/
(namespace `checkout_dashboard`). Access follows the permission table, as the ledger's pages do."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import dashboard_permissions_map

#: page -> the operation it performs (headless_store/ledger/permissions.py)
PAGE_OPERATIONS = {
    "order-refund": "refund_order",
}


class CheckoutDashboardConfig(OscarDashboardConfig):
    label = "checkout_dashboard"
    name = "headless_store.checkout.dashboard"
    verbose_name = _("Checkout dashboard")
    namespace = "checkout_dashboard"
    default_permissions = ["is_staff"]
    permissions_map = dashboard_permissions_map(PAGE_OPERATIONS)

    def get_urls(self):
        from . import views

        urls = [
            path("orders/<str:number>/refund/", views.OrderRefundView.as_view(), name="order-refund"),
        ]
        return self.post_process_urls(urls)
