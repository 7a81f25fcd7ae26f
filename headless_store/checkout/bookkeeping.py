"""Oscar's side of a payment: the order number, the payment source type ("Accounts") and the
payment events every checkout and refund records on the order, in a few queries.
"""
import functools

from django.db import connection
from django.db.models import Case, F, When
from oscar.core.loading import get_class, get_model

from headless_store.kernel.compiled import CompiledQuery
from headless_store.ledger.models import Transfer

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
SourceType = get_model("payment", "SourceType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

PAYMENT_SOURCE_NAME = "Accounts"
PAYMENT_EVENT_NAME = "Paid from account"


def order_number_for(basket) -> str:
    """Oscar's number for the basket; with a suffix when an earlier checkout of this basket left
    a cancelled order behind (a declined or abandoned card checkout), or when ledger history names
    the number already (transfers imported from django-oscar-accounts keep the order numbers of
    the shop they came from, which a new shop's baskets count up to again): an order's money is
    found by its number, and must never be another's."""
    number = str(OrderNumberGenerator().order_number(basket))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {Order._meta.db_table} WHERE number = %s),"
            f" (SELECT COUNT(*) FROM {Order._meta.db_table} WHERE number LIKE %s),"
            f" (SELECT COUNT(*) FROM (SELECT 1 FROM {Transfer._meta.db_table} WHERE merchant_reference = %s LIMIT 1) t)",
            [number, f"{number}-%", number])
        plain, suffixed, named = cursor.fetchone()
    # History naming the number with no order of ours behind it counts as that order.
    earlier = suffixed + (plain or named)
    return f"{number}-{earlier + 1}" if earlier else number


def paid_order_lines(order) -> list:
    """The order's lines, each with `product_class_slug` (its product's class, or for a variant
    its parent's: Oscar's `get_product_class()`), read once for the payment events and for
    `order_paid`'s receivers (sent with them as `lines`)."""
    lines = _ORDER_LINES.all(order=order.pk)
    for line in lines:
        line.order = order
    return lines


_ORDER_LINES = CompiledQuery(
    lambda order: Line.objects.filter(order_id=order).annotate(product_class_slug=Case(
        When(product__structure=Product.CHILD, then=F("product__parent__product_class__slug")),
        default=F("product__product_class__slug"),
    )).order_by("pk"),
    order=int,
)


def payment_event_types(names) -> dict:
    """Oscar payment event types by name, created when missing; one query when they exist."""
    names = sorted(set(names))
    types = {t.name: t for t in _event_types_query(len(names)).all(**{f"name{i}": name for i, name in enumerate(names)})}
    for name in names:
        if name not in types:
            types[name], _ = PaymentEventType.objects.get_or_create(name=name)
    return types


@functools.cache
def _event_types_query(count: int) -> CompiledQuery:
    return CompiledQuery(lambda **names: PaymentEventType.objects.filter(name__in=list(names.values())),
                         **{f"name{i}": str for i in range(count)})


def source_type_named(name: str):
    """Oscar's payment source type of this name (created when missing; one query when it exists)."""
    return _SOURCE_TYPE.first(name=name) or SourceType.objects.get_or_create(name=name)[0]


_SOURCE_TYPE = CompiledQuery(lambda name: SourceType.objects.filter(name=name).order_by("pk")[:1], name=str)


def record_payment_events(order, events, lines=None, types=None, quantities=None) -> None:
    """Save Oscar payment events [(type name, amount, reference)] for all of the order's lines
    (`lines` and `types`, if the caller has them), as Oscar's OrderPlacementMixin.save_payment_events
    does, in a few queries rather than per line. `quantities` ({line: quantity}) limits the events
    to some lines (a refund of those)."""
    if not events:
        return
    names = {name for name, _amount, _reference in events}
    if types is None or not names <= types.keys():
        types = payment_event_types(names)
    saved = PaymentEvent.objects.bulk_create([
        PaymentEvent(order=order, event_type=types[name], amount=amount, reference=reference)
        for name, amount, reference in events
    ])
    if quantities is None:
        lines = list(order.lines.all()) if lines is None else lines
        quantities = {line: line.quantity for line in lines}
    PaymentEventQuantity.objects.bulk_create(
        [PaymentEventQuantity(event=event, line=line, quantity=quantity) for event in saved
         for line, quantity in quantities.items()]
    )
