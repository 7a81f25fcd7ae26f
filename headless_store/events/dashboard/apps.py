"""The events app's Oscar dashboard pages (webhooks, background tasks given up), mounted at
/dashboard/store/ (namespace `events_dashboard`). Access follows the permission table, as the
ledger's pages do."""
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig

from headless_store.ledger.permissions import dashboard_permissions_map

#: page -> the operation it performs (headless_store/ledger/permissions.py)
PAGE_OPERATIONS = {
    "webhook-list": "create_webhook_endpoint",
    "webhook-detail": "update_webhook_endpoint",
    "task-list": "retry_task",
}


class EventsDashboardConfig(OscarDashboardConfig):
    label = "events_dashboard"
    name = "headless_store.events.dashboard"
    verbose_name = _("Events dashboard")
    namespace = "events_dashboard"
    default_permissions = ["is_staff"]
    permissions_map = dashboard_permissions_map(PAGE_OPERATIONS)

    def get_urls(self):
        from . import views

        urls = [
            path("webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
            path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook-detail"),
            path("tasks/", views.TaskListView.as_view(), name="task-list"),
        ]
        return self.post_process_urls(urls)
