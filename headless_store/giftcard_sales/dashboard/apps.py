"""The gift-card sales dashboard pages, mounted at /dashboard/store/ (namespace
`giftcard_sales_dashboard`): cards sold per period, the liability they still carry, failed
deliveries, each sale's delivery log and a resend button. Access follows the permission table."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import dashboard_permissions_map

#: page -> the operation it performs (headless_store/ledger/permissions.py)
PAGE_OPERATIONS = {
    "gift-card-sales": "gift_card_sales",
    "gift-card-sale": "gift_card_sales",
    "gift-card-resend": "resend_gift_card",
}


class GiftCardSalesDashboardConfig(OscarDashboardConfig):
    label = "giftcard_sales_dashboard"
    name = "headless_store.giftcard_sales.dashboard"
    verbose_name = _("Gift card sales dashboard")
    namespace = "giftcard_sales_dashboard"
    default_permissions = ["is_staff"]
    permissions_map = dashboard_permissions_map(PAGE_OPERATIONS)

    def get_urls(self):
        from . import views

        urls = [
            path("gift-cards/", views.GiftCardSalesView.as_view(), name="gift-card-sales"),
            path("gift-cards/<int:pk>/", views.GiftCardSaleView.as_view(), name="gift-card-sale"),
            path("gift-cards/<int:pk>/resend/", views.ResendView.as_view(), name="gift-card-resend"),
        ]
        return self.post_process_urls(urls)
