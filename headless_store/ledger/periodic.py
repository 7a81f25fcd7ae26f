"""The ledger's periodic work, run by the task engine's maintenance chain (headless_store/events
finds this module by name and knows nothing of what it does)."""


def sweep() -> dict:
    """Release expired holds, close accounts past their end date and lapse expired credit lots; counts."""
    from .holds import expire_holds
    from .services.expiry import close_expired_accounts, expire_lots

    return {
        "holds_expired": expire_holds(),
        "accounts_closed": len(close_expired_accounts().closed),
        "lots_lapsed": len(expire_lots().lapsed),
    }
