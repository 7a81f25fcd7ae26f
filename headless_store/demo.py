"""Demo data: a small catalogue (gift cards for sale included), customers, a staff user, wallets, a
B2B account, gift cards.

Used by `manage.py load_demo_data` (and so by `make demo`). Loading twice changes nothing: the
second run finds the demo users and only reports what is there. Gift-card codes are printed
once, when issued, because only their hashes are stored.
"""
import io
import zlib
from dataclasses import dataclass, field
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from headless_store.giftcard_sales.catalogue import create_gift_card_product
from headless_store.ledger import core, facade, names
from headless_store.ledger.services.accounts import account_type, create_account, get_or_create_wallet
from headless_store.ledger.services.chart import create_default_chart
from headless_store.ledger.services.giftcards import issue_gift_card

Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

PASSWORD = "demo-password-123"
CUSTOMERS = (("alice", "alice@example.com", D("50.00")), ("bob", "bob@example.com", D("20.00")))
STAFF = ("staff", "staff@example.com")
CATALOGUE = (
    ("Espresso beans, 1 kg", "DEMO-ESP-1KG", D("24.00"), 50),
    ("Pour-over kettle", "DEMO-KETTLE", D("45.00"), 12),
    ("Ceramic dripper", "DEMO-DRIPPER", D("18.50"), 30),
    ("Paper filters (100)", "DEMO-FILTERS", D("4.99"), 200),
    ("Barista course voucher", "DEMO-COURSE", D("120.00"), 5),
)
GIFT_CARD_AMOUNTS = (D("25.00"), D("50.00"), D("100.00"))
#: Gift cards the shop sells (variants of one "Gift card" product; no shipping).
SOLD_GIFT_CARD_AMOUNTS = (D("10.00"), D("25.00"), D("50.00"), D("100.00"))
STAFF_PERMISSIONS = (
    "ledger.view_account", "ledger.view_transfer", "ledger.manage_accounts",
    "ledger.issue_gift_cards", "ledger.move_money", "ledger.view_reports",
    "ledger.reverse_transfer",
)


@dataclass
class DemoData:
    created: bool
    users: list[tuple[str, str]] = field(default_factory=list)  # (email, role)
    gift_cards: list[tuple[str, D]] = field(default_factory=list)  # (code, amount), shown once


def _user(username, email, **extra):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(username=username, email=email, password=PASSWORD, **extra)
    return user


def _catalogue(currency):
    product_class, _ = ProductClass.objects.get_or_create(
        name="Coffee gear", defaults={"requires_shipping": True, "track_stock": True}
    )
    partner, _ = Partner.objects.get_or_create(name="Demo roastery")
    for title, sku, price, stock in CATALOGUE:
        if StockRecord.objects.filter(partner=partner, partner_sku=sku).exists():
            continue
        product = Product.objects.create(
            title=title, product_class=product_class, structure=Product.STANDALONE, is_public=True,
            upc=sku,
        )
        StockRecord.objects.create(
            product=product, partner=partner, partner_sku=sku, price=price,
            price_currency=currency, num_in_stock=stock,
        )
        ProductImage.objects.create(product=product, display_order=0, caption=title,
                                    original=ContentFile(product_image(title), name=f"{sku.lower()}.png"))
    parent, _children = create_gift_card_product(title="Gift card", amounts=SOLD_GIFT_CARD_AMOUNTS, partner=partner,
                                                 currency=currency, sku_prefix="DEMO-GIFT")
    if not parent.description:
        parent.description = ("A gift card for the shop, e-mailed to whoever you choose, now or on a date, "
                              "with your message.")
        parent.save()


def product_image(title: str, size=(600, 600)) -> bytes:
    """A PNG for a demo product (made with Pillow, so the demo needs no image files): a colour of
    its own and its title."""
    hue = zlib.crc32(title.encode())
    colour = (80 + hue % 150, 80 + (hue >> 8) % 150, 80 + (hue >> 16) % 150)
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, size[1] - 140, size[0] - 40, size[1] - 60), fill=(255, 255, 255))
    draw.text((60, size[1] - 115), title, fill=(30, 30, 30), font_size=28)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_demo_data(*, currency="GBP", gift_cards=None) -> DemoData:
    create_default_chart([currency])
    alice_exists = get_user_model().objects.filter(email=CUSTOMERS[0][1]).exists()
    result = DemoData(created=not alice_exists)
    with transaction.atomic():
        Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Headless Store"})
        Country.objects.get_or_create(
            iso_3166_1_a2="GB",
            defaults={"iso_3166_1_a3": "GBR", "iso_3166_1_numeric": "826", "name": "United Kingdom",
                      "printable_name": "United Kingdom", "is_shipping_country": True},
        )
        _catalogue(currency)
        staff = _user(STAFF[0], STAFF[1], is_staff=True)
        group, _ = Group.objects.get_or_create(name="Ledger staff")
        for perm in STAFF_PERMISSIONS:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        staff.groups.add(group)
        result.users.append((STAFF[1], "staff (dashboard, ledger permissions)"))
        customers = {}
        for username, email, _credit in CUSTOMERS:
            customers[username] = _user(username, email)
            result.users.append((email, "customer"))
        if result.created:
            bank = core.bank_account(currency)
            for username, _email, credit in CUSTOMERS:
                wallet = get_or_create_wallet(user=customers[username], currency=currency)
                facade.transfer(bank, wallet, credit, user=staff, description="Demo store credit",
                                check_authorisation=False)
            loyalty = get_or_create_wallet(user=customers["alice"], currency=currency, type_code=names.LOYALTY_POINTS)
            facade.transfer(core.promotions_account(currency), loyalty, D("7.50"), user=staff,
                            description="Demo loyalty points", check_authorisation=False)
            create_account(
                name="Acme Ltd (B2B)", account_type=account_type(names.B2B_PREPAID), currency=currency,
                primary_user=customers["bob"], credit_limit=D("500.00"),
                description="B2B account: may run up to 500.00 on credit",
            )
        amounts = GIFT_CARD_AMOUNTS if result.created else ()
        if gift_cards:
            amounts = (D("25.00"),) * gift_cards
        for amount in amounts:
            card = issue_gift_card(amount=amount, currency=currency, user=staff)
            result.gift_cards.append((card.code, amount))
    return result
