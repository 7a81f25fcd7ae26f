"""The double-entry ledger app: accounts, transfers and their legs."""
from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "headless_store.ledger"
    label = "ledger"
    verbose_name = "Ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  registers the deployment checks
