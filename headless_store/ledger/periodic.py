"""The ledger's periodic work, run by the task engine's maintenance chain (headless_store/events
finds this module by name and knows nothing of what it does)."""


def sweep() -> dict:
    """Release expired holds, close accounts past their end date, lapse expired credit lots
    (credit.expired), announce lots expiring soon (credit.expiring_soon) and e-mail the notices; counts."""
    from .holds import expire_holds
    from .services.expiry import close_expired_accounts, expire_lots
    from .services.notices import announce_expiring_lots, send_notice_emails

    counts = {
        "holds_expired": expire_holds(),
        "accounts_closed": len(close_expired_accounts().closed),
        "lots_lapsed": len(expire_lots().lapsed),
        "lots_announced": announce_expiring_lots(),
    }
    emails = send_notice_emails()
    return {**counts, "notice_emails_sent": emails["sent"], "notice_emails_failed": emails["failed"]}
