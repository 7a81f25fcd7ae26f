"""Loyalty's background task (django-tasks; workers: `manage.py db_worker`)."""
from headless_store.events.durable import durable_task
from headless_store.ledger.exceptions import FrozenAccount


@durable_task(waits_for=(FrozenAccount,))
def accrue_points(order_id: int) -> str:
    """Credit a paid order's points (see services.accrue_for_order). While the Promotions account
    (or the customer's points account) is frozen it waits, and resumes once staff thaw it."""
    from .services import accrue_for_order

    return accrue_for_order(order_id)
