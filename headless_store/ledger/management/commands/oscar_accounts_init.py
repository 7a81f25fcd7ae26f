"""Create the default chart of account types and the core accounts (safe to run again)."""
from django.core.management.base import BaseCommand

from headless_store.ledger.services.chart import create_default_chart


class Command(BaseCommand):
    help = "Create the default account types and core accounts. A second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--currency", action="append", dest="currencies",
            help="Create core accounts for this currency (repeatable; default ACCOUNTS_CURRENCIES).",
        )

    def handle(self, *args, currencies=None, **options):
        created = create_default_chart(currencies)
        if not created:
            self.stdout.write("Ledger already initialised: nothing to create.")
            return
        for item in created:
            self.stdout.write(f"Created {item}")
        self.stdout.write(self.style.SUCCESS(f"Ledger initialised: {len(created)} items created."))
