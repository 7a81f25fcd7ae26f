"""Cron job: move expired accounts' balances to Lapsed and close them; lapse expired credit lots;
announce lots expiring soon and e-mail the credit notices (what the maintenance sweep does)."""
from django.core.management.base import BaseCommand

from headless_store.ledger.money import Money
from headless_store.ledger.services.expiry import close_expired_accounts, expire_lots
from headless_store.ledger.services.notices import announce_expiring_lots, send_notice_emails


class Command(BaseCommand):
    help = ("Move each expired open account's balance to the Lapsed account and close it; then lapse "
            "each expired credit lot (one transfer per lot); then announce lots expiring soon and e-mail "
            "the credit notices due.")

    def handle(self, *args, **options):
        sweep = close_expired_accounts()
        for account, amount in sweep.closed:
            self.stdout.write(
                f"Closed #{account.pk} {account}: {Money(amount, account.currency)} lapsed"
            )
        for account, reason in sweep.skipped:
            self.stderr.write(f"Left as it is #{account.pk} {account}: {reason}")
        totals = ", ".join(f"{Money(amount, currency)}" for currency, amount in sorted(sweep.lapsed_by_currency().items()))
        self.stdout.write(
            f"{len(sweep.closed)} expired accounts closed"
            + (f" ({totals} lapsed)" if totals else "")
            + f", {len(sweep.skipped)} left for staff."
        )
        lapsed = expire_lots()
        for lot, amount in lapsed.lapsed:
            self.stdout.write(f"Lapsed lot #{lot.pk} of #{lot.account_id}: {Money(amount, lot.account.currency)}")
        for lot, reason in lapsed.skipped:
            self.stderr.write(f"Left as it is lot #{lot.pk} of #{lot.account_id}: {reason}")
        self.stdout.write(f"{len(lapsed.lapsed)} expired credit lots lapsed, {len(lapsed.skipped)} left for staff.")
        announced, emails = announce_expiring_lots(), send_notice_emails()
        self.stdout.write(f"{announced} credit lots expiring soon announced; notice e-mails: {emails['sent']} sent, "
                          f"{emails['not_sent']} not wanted or without an address, {emails['failed']} failed.")
