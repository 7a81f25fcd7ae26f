"""OA's models: AccountType, Account, Transfer, Transaction. Use headless_store.ledger.models."""
from headless_store.ledger.models import Account, AccountType, Transaction, Transfer  # noqa: F401

from . import deprecated

deprecated("oscar_accounts.models", "headless_store.ledger.models")
