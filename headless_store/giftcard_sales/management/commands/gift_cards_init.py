"""Create the gift-card product class, its options and e-mail types (as the migration does; for a
database flushed since, or a shop that deleted them). A second run changes nothing."""
from django.core.management.base import BaseCommand

from headless_store.giftcard_sales.catalogue import ensure_gift_card_catalogue


class Command(BaseCommand):
    help = "Create the gift-card product class, its options and its e-mail types (idempotent)"

    def handle(self, *args, **options):
        product_class = ensure_gift_card_catalogue()
        self.stdout.write(f"Gift-card product class: {product_class.name} ({product_class.slug})")
