"""The checkout's background task (django-tasks; workers: `manage.py db_worker`)."""
from headless_store.events.durable import durable_task


@durable_task()
def capture_card(checkout_id: int) -> bool:
    """Take the authorised card amount of a paid card checkout (enqueued in the transaction that
    marks it paid, so a paid checkout always has its capture queued; the sweep retries failures)."""
    from .card import capture_card as capture
    from .models import CardCheckout

    return capture(CardCheckout.objects.select_related("order").get(pk=checkout_id))
