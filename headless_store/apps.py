"""The project itself as an app: its management commands (demo data), and its listeners."""
from django.apps import AppConfig


class HeadlessStoreConfig(AppConfig):
    name = "headless_store"
    label = "headless_store"
    verbose_name = "Headless store"

    def ready(self):
        from axes.signals import user_locked_out

        from headless_store.ledger.signals import transfer_completed

        from .observability import count_transfer
        from .signin import mark_locked_out

        transfer_completed.connect(count_transfer, dispatch_uid="headless_store.metrics.transfers")
        user_locked_out.connect(mark_locked_out, dispatch_uid="headless_store.signin.locked_out")
