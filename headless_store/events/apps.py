"""Events: the transactional outbox, webhooks, and the project's background tasks."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "headless_store.events"
    label = "events"
    verbose_name = "Events and webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from headless_store.checkout.signals import order_refunded
        from headless_store.ledger.signals import ledger_event

        from .outbox import record_ledger_event, record_refund

        ledger_event.connect(record_ledger_event, dispatch_uid="headless_store.events.outbox")
        order_refunded.connect(record_refund, dispatch_uid="headless_store.events.refunds")
