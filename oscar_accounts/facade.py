"""OA's facade: transfer(), reverse(), close_expired_accounts(). Use headless_store.ledger.facade."""
from headless_store.ledger.facade import *  # noqa: F401,F403
from headless_store.ledger.facade import reverse, transfer  # noqa: F401
from headless_store.ledger.services.expiry import close_expired_accounts as _sweep

from . import deprecated

deprecated("oscar_accounts.facade", "headless_store.ledger.facade")


def close_expired_accounts():
    """OA's name for the expiry sweep (headless_store.ledger.services.expiry)."""
    return _sweep()
