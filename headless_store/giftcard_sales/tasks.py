"""The gift-card e-mail, a task of the project's engine (django-tasks; workers: `manage.py db_worker`).

Queued in the payment's transaction to run at the start of the delivery date (the shop's time
zone); a failed send is retried with the engine's backoff, and given up visibly (the sale shows as
FAILED on the dashboard, for staff to resend). Its argument and its result are the sale's id and
an outcome word: never a code."""
from headless_store.events.durable import durable_task

from .exceptions import GiftCardNotDeliverable, GiftCardSaleNotFound

DELIVER = "headless_store.giftcard_sales.tasks.deliver_gift_card"


def _give_up(sale_id: int) -> None:
    from .services import give_up_delivery

    give_up_delivery(sale_id)


@durable_task(permanent=(GiftCardNotDeliverable, GiftCardSaleNotFound), on_give_up=_give_up)
def deliver_gift_card(sale_id: int) -> str:
    from .services import deliver

    return "sent" if deliver(sale_id) is not None else "not due or done"
