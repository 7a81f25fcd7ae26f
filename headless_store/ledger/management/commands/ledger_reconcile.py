"""Check every ledger invariant; print a summary per currency; exit 1 on any violation."""
import sys

from django.core.management.base import BaseCommand

from headless_store.ledger.money import Money
from headless_store.ledger.selectors.health import ledger_health


class Command(BaseCommand):
    help = "Check the ledger's invariants. Exits with status 1 if any is violated."

    def handle(self, *args, **options):
        health = ledger_health()
        for summary in health.currencies:
            self.stdout.write(
                f"{summary.currency}: {summary.accounts} accounts, {summary.transfers} transfers, "
                f"balances sum to {Money(summary.balance_total, summary.currency)}, "
                f"customers hold {Money(summary.customer_balances, summary.currency)}"
            )
        if not health.currencies:
            self.stdout.write("The ledger has no accounts.")
        for check in health.checks:
            if check.ok:
                self.stdout.write(f"OK    {check.description}")
            else:
                self.stdout.write(
                    self.style.ERROR(
                        f"FAIL  {check.description} {check.violations} violation(s): "
                        + ", ".join(check.examples)
                    )
                )
        if not health.ok:
            self.stderr.write(self.style.ERROR("Ledger does NOT reconcile."))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("Ledger reconciles."))
