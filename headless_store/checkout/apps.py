"""The checkout app: paying an Oscar basket from ledger accounts, alone or with a card."""
from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "headless_store.checkout"
    label = "store_checkout"  # Oscar's own checkout app has the label "checkout"
    verbose_name = "Checkout payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  registers the payment checks
