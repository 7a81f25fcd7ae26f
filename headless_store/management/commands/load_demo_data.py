"""Load the demo shop: catalogue, users, wallets, a B2B account and gift cards."""
import os

from django.core.management.base import BaseCommand

from headless_store.demo import PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Load demo data (safe to run again: a second run creates nothing new)."

    def add_arguments(self, parser):
        parser.add_argument("--gift-cards", type=int, default=None,
                            help="Issue this many new 25.00 gift cards and print their codes.")

    def handle(self, *args, gift_cards=None, **options):
        demo = load_demo_data(gift_cards=gift_cards)
        self.stdout.write("Demo data " + ("loaded." if demo.created else "already loaded; nothing changed."))
        self.stdout.write(f"\nUsers (password for all: {PASSWORD}):")
        for email, role in demo.users:
            self.stdout.write(f"  {email:<22} {role}")
        if demo.gift_cards:
            self.stdout.write("\nGift cards (codes are shown only now; only their hashes are stored):")
            for code, amount in demo.gift_cards:
                self.stdout.write(f"  {code}  {amount} GBP")
        else:
            self.stdout.write(
                "\nGift-card codes were printed when first issued. New ones: "
                "python manage.py load_demo_data --gift-cards 3"
            )
        base = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
        self.stdout.write(f"\nShop: {base}/demo/   API: {base}/api/   GraphQL: {base}/graphql/   Dashboard: {base}/dashboard/")
