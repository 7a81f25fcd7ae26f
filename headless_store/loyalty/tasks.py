"""Loyalty's background task (django-tasks; workers: `manage.py db_worker`)."""
from django_tasks import task


@task()
def accrue_points(order_id: int) -> str:
    """Credit a paid order's points (see services.accrue_for_order)."""
    from .services import accrue_for_order

    return accrue_for_order(order_id)
