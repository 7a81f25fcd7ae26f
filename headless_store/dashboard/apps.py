"""The shop's own Oscar dashboard pages (refunds, webhooks, the loyalty rule), mounted at
/dashboard/store/ (namespace `store_dashboard`). Access follows the permission table, as the
ledger's pages do."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import rule_for

#: page -> the operation it performs (headless_store/ledger/permissions.py)
PAGE_OPERATIONS = {
    "order-refund": "refund_order",
    "webhook-list": "create_webhook_endpoint",
    "webhook-detail": "update_webhook_endpoint",
    "loyalty-rule": "loyalty_rule",
    "task-list": "retry_task",
}


class StoreDashboardConfig(OscarDashboardConfig):
    label = "store_dashboard"
    name = "headless_store.dashboard"
    verbose_name = _("Store dashboard")
    namespace = "store_dashboard"
    default_permissions = ["is_staff"]
    permissions_map = {page: rule_for(op).dashboard_permissions() for page, op in PAGE_OPERATIONS.items()}

    def get_urls(self):
        from . import views

        urls = [
            path("orders/<str:number>/refund/", views.OrderRefundView.as_view(), name="order-refund"),
            path("webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
            path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook-detail"),
            path("loyalty/", views.LoyaltyRuleView.as_view(), name="loyalty-rule"),
            path("tasks/", views.TaskListView.as_view(), name="task-list"),
        ]
        return self.post_process_urls(urls)
