"""Release pending holds whose expiry has passed (run it every minute or so, like a cron job)."""
from django.core.management.base import BaseCommand

from headless_store.ledger.holds import expire_holds


class Command(BaseCommand):
    help = "Release every pending hold past its expiry; their money is spendable again."

    def handle(self, *args, **options):
        released = expire_holds()
        self.stdout.write(f"Released {released} expired hold{'s' if released != 1 else ''}.")
