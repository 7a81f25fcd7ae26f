"""Gift-card sales' periodic work, run by the task engine's maintenance chain (headless_store/events
finds this module by name and knows nothing of what it does)."""


def sweep() -> dict:
    """Scheduled gift-card e-mails whose task was lost are queued again (the database backend keeps
    the task rows this looks at; a broker keeps its own jobs)."""
    from headless_store.events import durable

    from .services import queue_due_deliveries

    if not durable.uses_database_backend():
        return {}
    return {"gift_cards_queued": queue_due_deliveries()}
