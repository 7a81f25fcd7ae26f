"""Loyalty points earned per order (see services.py)."""
from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "headless_store.loyalty"
    label = "loyalty"
    verbose_name = "Loyalty points"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oscar.core.loading import get_class

        from headless_store.checkout.signals import order_paid, order_refunded

        from . import receivers

        order_paid.connect(receivers.order_paid, dispatch_uid="loyalty.order_paid")
        order_refunded.connect(receivers.order_refunded, dispatch_uid="loyalty.order_refunded")
        get_class("order.signals", "order_status_changed").connect(
            receivers.order_status_changed, dispatch_uid="loyalty.order_status_changed")
