"""OA's exceptions (same names, same hierarchy under AccountException). Use headless_store.ledger.exceptions."""
from headless_store.ledger.exceptions import *  # noqa: F401,F403
from headless_store.ledger.exceptions import (  # noqa: F401
    AccountException,
    AccountNotEmpty,
    ClosedAccount,
    InactiveAccount,
    InsufficientFunds,
    InvalidAmount,
)

from . import deprecated

deprecated("oscar_accounts.exceptions", "headless_store.ledger.exceptions")
