"""Events: the transactional outbox, webhooks, and the project's background tasks."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "headless_store.events"
    label = "events"
    verbose_name = "Events and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
