"""The checkout app: paying an Oscar basket from ledger accounts, alone or with a card."""
from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "headless_store.checkout"
    label = "store_checkout"  # Oscar's own checkout app has the label "checkout"
    verbose_name = "Checkout payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from headless_store.ledger.signals import reversal_requested

        from . import checks  # noqa: F401  registers the payment checks
        from .events import record_refund
        from .refunds import cap_order_refunds
        from .signals import order_refunded

        reversal_requested.connect(cap_order_refunds, dispatch_uid="store_checkout.order_refund_cap")
        order_refunded.connect(record_refund, dispatch_uid="store_checkout.events.refunds")
