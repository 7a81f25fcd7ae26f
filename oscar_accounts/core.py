"""OA's core accounts: redemptions_account(), lapsed_account(). Use headless_store.ledger.core
(there, one of each per currency; these return the default currency's)."""
from headless_store.ledger import core as _core

from . import deprecated

deprecated("oscar_accounts.core", "headless_store.ledger.core")


def redemptions_account():
    return _core.redemptions_account()


def lapsed_account():
    return _core.lapsed_account()
