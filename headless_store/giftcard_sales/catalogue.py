"""The gift-card product class in Oscar and its options, and the rules their values must keep.

A gift card is an Oscar product of the class GIFT_CARD_PRODUCT_CLASS ("gift-card"; no shipping,
no stock): fixed amounts are child products (variants) of a parent "Gift card", each with its
price. Recipient name, e-mail, message and delivery date are Oscar product options of the class,
so they travel as django-oscar-api's basket `options` and as Oscar's add-to-basket form fields
alike, and end up on the order line (Oscar's line attributes). All four are optional: no e-mail
sends the card to the buyer, no date sends it at once.
"""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from .conf import settings
from .exceptions import GiftCardLineTooLarge, GiftCardOptionsInvalid
from .models import GiftCardSale

RECIPIENT_NAME = "gift_card_recipient_name"
RECIPIENT_EMAIL = "gift_card_recipient_email"
MESSAGE = "gift_card_message"
DELIVER_ON = "gift_card_deliver_on"

#: (code, name, Oscar option type, help text), in the order the shop shows them.
OPTIONS = (
    (RECIPIENT_NAME, "Recipient's name", "text", "Who the card is for (optional)."),
    (RECIPIENT_EMAIL, "Recipient's e-mail", "text", "Where the card is sent; empty: to you."),
    (MESSAGE, "Message", "text", "A few words sent with the card (optional)."),
    (DELIVER_ON, "Delivery date", "date", "When the card is sent (YYYY-MM-DD); empty: at once."),
)
#: Oscar communication event types: the card for its recipient, and the note to the buyer.
EMAIL_TYPES = (
    ("GIFT_CARD", "Gift card (to its recipient, with the code)"),
    ("GIFT_CARD_SENT", "Gift card sent (to the buyer, without the code)"),
)


LABELS = {code: name for code, name, _kind, _help in OPTIONS} | {"product": "Amount", "quantity": "Quantity"}


def describe(errors: dict[str, list[str]]) -> str:
    """GiftCardOptionsInvalid's problems in words: "Recipient's e-mail: Enter a valid e-mail address..."."""
    return " ".join(f"{LABELS.get(field, field)}: {' '.join(messages)}" for field, messages in errors.items())


def ensure_gift_card_catalogue(ProductClass=None, Option=None, CommunicationEventType=None):  # noqa: N803
    """Create the gift-card product class, its options and the e-mail types if missing (idempotent).
    The models may be a migration's historical ones."""
    ProductClass = ProductClass or get_model("catalogue", "ProductClass")  # noqa: N806
    Option = Option or get_model("catalogue", "Option")  # noqa: N806
    CommunicationEventType = CommunicationEventType or get_model("communication", "CommunicationEventType")  # noqa: N806
    product_class, _ = ProductClass.objects.get_or_create(
        slug=settings.GIFT_CARD_PRODUCT_CLASS,
        defaults={"name": "Gift card", "requires_shipping": False, "track_stock": False})
    for order, (code, name, kind, help_text) in enumerate(OPTIONS):
        option, _ = Option.objects.get_or_create(code=code, defaults={
            "name": name, "type": kind, "required": False, "help_text": help_text, "order": order})
        product_class.options.add(option)
    for code, name in EMAIL_TYPES:
        CommunicationEventType.objects.get_or_create(code=code, defaults={"name": name, "category": "Order related"})
    return product_class


def is_gift_card(product) -> bool:
    if product is None:
        return False
    product_class = product.get_product_class()
    return product_class is not None and product_class.slug == settings.GIFT_CARD_PRODUCT_CLASS


@dataclass(frozen=True)
class GiftCardDetails:
    recipient_name: str = ""
    recipient_email: str = ""  # empty: the buyer's own address
    message: str = ""
    deliver_on: dt.date | None = None  # None: at once


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check_email(value: str) -> None:
    """A recipient's address as the models keep it: valid and at most 254 characters (Django's
    `validate_email` alone allows 320, which the database refuses); ValidationError otherwise."""
    GiftCardSale._meta.get_field("recipient_email").run_validators(value)


def clean_options(values: dict, *, today: dt.date | None = None, strict: bool = True) -> GiftCardDetails:
    """The gift-card options from {option code: value} (strings from the REST API, form values from
    Oscar's form, JSON from a line), checked. Every problem is reported at once, by option code
    (GiftCardOptionsInvalid). Not `strict` (an order being issued): a date gone by means at once."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    name = _text(values.get(RECIPIENT_NAME))
    if len(name) > settings.GIFT_CARD_NAME_MAX_LENGTH:
        errors[RECIPIENT_NAME] = [f"At most {settings.GIFT_CARD_NAME_MAX_LENGTH} characters."]
    email = _text(values.get(RECIPIENT_EMAIL))
    if email:
        try:
            check_email(email)
        except ValidationError:
            errors[RECIPIENT_EMAIL] = ["Enter a valid e-mail address of at most 254 characters, e.g. friend@example.com."]
    message = _text(values.get(MESSAGE))
    if len(message) > settings.GIFT_CARD_MESSAGE_MAX_LENGTH:
        errors[MESSAGE] = [f"At most {settings.GIFT_CARD_MESSAGE_MAX_LENGTH} characters."]
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in name + email + message):
        errors.setdefault(MESSAGE if message else RECIPIENT_NAME, []).append("Control characters are not allowed.")
    deliver_on = values.get(DELIVER_ON)
    if isinstance(deliver_on, dt.datetime):
        deliver_on = deliver_on.date()
    if deliver_on in (None, ""):
        deliver_on = None
    elif not isinstance(deliver_on, dt.date):
        try:
            deliver_on = dt.date.fromisoformat(_text(deliver_on)[:10]) if len(_text(deliver_on)) == 10 else None
        except ValueError:
            deliver_on = None
        if deliver_on is None:
            errors[DELIVER_ON] = ["Give the delivery date as YYYY-MM-DD."]
    if isinstance(deliver_on, dt.date):
        latest = today + dt.timedelta(days=settings.GIFT_CARD_MAX_DELIVERY_DAYS)
        if deliver_on < today:
            if strict:
                errors[DELIVER_ON] = ["The delivery date is in the past; leave it empty to send the card at once."]
            deliver_on = None
        elif deliver_on > latest:
            errors[DELIVER_ON] = [f"The card can be sent at most {settings.GIFT_CARD_MAX_DELIVERY_DAYS} days ahead "
                                  f"(by {latest.isoformat()})."]
        elif deliver_on == today:
            deliver_on = None
    if errors:
        raise GiftCardOptionsInvalid(errors)
    return GiftCardDetails(recipient_name=name, recipient_email=email.lower() if email else "", message=message,
                           deliver_on=deliver_on)


def check_basket_addition(product, quantity: int, options, basket=None) -> GiftCardDetails | None:
    """The rule for adding `product` to a basket with `options` ([{"option": Option, "value": ...}],
    Oscar's and django-oscar-api's shape): None for other products; for a gift card, its details or
    GiftCardOptionsInvalid. Shared by the REST add-product view and Oscar's add-to-basket form. With
    `basket`, the line's quantity after the addition counts (the same card added twice is one line)."""
    if not is_gift_card(product):
        return None
    errors = {}
    if product.is_parent:
        errors["product"] = ["Choose an amount (one of this gift card's variants)."]
    in_line = 0
    if basket is not None and not product.is_parent and quantity is not None:
        stockrecord = basket.strategy.fetch_for_product(product).stockrecord
        in_line = basket.line_quantity(product, stockrecord, options or None)
    if quantity is not None and quantity + in_line > settings.GIFT_CARD_MAX_QUANTITY:
        errors["quantity"] = [f"At most {settings.GIFT_CARD_MAX_QUANTITY} cards in a line"
                              + (f" ({in_line} in the basket already)." if in_line else ".")]
    values = {}
    for item in options or ():
        option = item["option"]
        values[getattr(option, "code", option)] = item.get("value")
    try:
        details = clean_options(values)
    except GiftCardOptionsInvalid as invalid:
        errors.update(invalid.errors)
    if errors:
        raise GiftCardOptionsInvalid(errors)
    return details


def check_gift_card_lines(basket) -> None:
    """At checkout, whatever changed the basket's lines since they were added (a line's quantity set
    through Oscar's basket page or django-oscar-api): no gift-card line over the limit."""
    for line in basket.all_lines():
        if line.quantity > settings.GIFT_CARD_MAX_QUANTITY and is_gift_card(line.product):
            raise GiftCardLineTooLarge(
                f"At most {settings.GIFT_CARD_MAX_QUANTITY} gift cards in a line: the basket has {line.quantity} of "
                f"{line.product.get_title()}. Lower the line's quantity.", field="basket_id")


def line_options(line) -> dict:
    """An order or basket line's option values by code."""
    values = {}
    for attribute in line.attributes.all():
        code = attribute.option.code if attribute.option_id else getattr(attribute, "type", "")
        values[code] = attribute.value
    return values


def create_gift_card_product(*, title: str, amounts, partner, currency: str, sku_prefix: str):
    """A parent gift-card product with a child (variant) per fixed amount, each priced at its amount
    (idempotent by SKU). Returns (parent, [children])."""
    Product = get_model("catalogue", "Product")  # noqa: N806
    StockRecord = get_model("partner", "StockRecord")  # noqa: N806
    product_class = ensure_gift_card_catalogue()
    parent = Product.objects.filter(upc=sku_prefix).first()
    if parent is None:
        parent = Product.objects.create(title=title, product_class=product_class, structure=Product.PARENT,
                                        is_public=True, upc=sku_prefix)
    children = []
    for amount in amounts:
        sku = f"{sku_prefix}-{amount}"
        record = StockRecord.objects.filter(partner=partner, partner_sku=sku).select_related("product").first()
        if record is None:
            child = Product.objects.create(title=f"{title}, {amount} {currency}", structure=Product.CHILD,
                                           parent=parent, is_public=True, upc=sku)
            record = StockRecord.objects.create(product=child, partner=partner, partner_sku=sku, price=amount,
                                                price_currency=currency, num_in_stock=None)
        children.append(record.product)
    return parent, children
