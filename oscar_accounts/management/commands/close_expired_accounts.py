"""OA's cron command `close_expired_accounts`: the ledger's `ledger_close_expired` under OA's name."""
from headless_store.ledger.management.commands.ledger_close_expired import Command  # noqa: F401
