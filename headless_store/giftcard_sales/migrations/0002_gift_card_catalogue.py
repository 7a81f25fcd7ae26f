"""The gift-card product class, its options and the gift-card e-mail types (idempotent; the demo
data and `gift_cards_init` call the same function)."""
from django.db import migrations


def create(apps, schema_editor):
    from headless_store.giftcard_sales.catalogue import ensure_gift_card_catalogue

    ensure_gift_card_catalogue(apps.get_model("catalogue", "ProductClass"), apps.get_model("catalogue", "Option"),
                               apps.get_model("communication", "CommunicationEventType"))


class Migration(migrations.Migration):
    dependencies = [
        ("giftcard_sales", "0001_initial"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
