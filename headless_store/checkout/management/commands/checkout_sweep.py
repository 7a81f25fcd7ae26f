"""End card checkouts past their expiry, capture cards whose capture failed, then release any
other expired ledger holds. Run it every minute or so (cron, or the task engine's schedule)."""
from django.core.management.base import BaseCommand

from headless_store.checkout.card import sweep_card_checkouts
from headless_store.ledger.holds import expire_holds


class Command(BaseCommand):
    help = "Expire abandoned card checkouts (holds released, orders cancelled), retry failed card captures, " \
           "release expired holds."

    def handle(self, *args, **options):
        counts = sweep_card_checkouts()
        released = expire_holds()
        self.stdout.write(
            f"Expired {counts['expired']} checkout(s), captured {counts['captured']} card payment(s), "
            f"released {released} other expired hold(s)."
        )
