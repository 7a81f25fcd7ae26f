"""The ledger's events: the types it declares and the one way it records them (the outbox, in the
transaction that moves the money). headless_store/events delivers them; it knows none of these."""

from .money import quantize

EVENT_TYPES = {
    "transfer.posted": "Money moved between two accounts (a payment, a top-up, a gift card funded...).",
    "transfer.reversed": "A transfer was reversed or refunded, in full or in part.",
    "giftcard.issued": "A gift card was issued and funded.",
    "giftcard.redeemed": "A gift card's balance was moved into a customer's wallet.",
    "hold.placed": "Money was held on an account for a checkout.",
    "hold.captured": "A hold was taken (posted as a transfer).",
    "hold.voided": "A hold was released.",
    "hold.expired": "A hold expired and was released.",
    "credit.expiring_soon": "A credit lot with money left expires within ACCOUNTS_EXPIRY_NOTICE_DAYS (once per lot and "
                            "expiry date).",
    "credit.expired": "A credit lot's money lapsed to Lapsed at its expiry or its account's (once per lot and lapse).",
}


def _record(event_type: str, data: dict) -> None:
    """Record one of this module's events in the caller's transaction (it commits or rolls back
    with the money)."""
    from headless_store.events.outbox import record

    record(event_type, data)


def transfer_data(posted) -> dict:
    """What events say about a transfer (account ids, not names: names may be personal)."""
    return {
        "reference": posted.reference, "source_account_id": posted.source_id,
        "destination_account_id": posted.destination_id, "amount": str(posted.amount), "currency": posted.currency,
        "merchant_reference": posted.merchant_reference, "description": posted.description,
        "reverses": posted.parent.reference if posted.parent_id else None,
        "created_at": posted.date_created.isoformat(),
    }


def transfer_posted(posted) -> tuple[str, list]:
    """transfer.posted, or transfer.reversed for a transfer that reverses another, as the outbox's
    INSERT (sql, params): the posting sends it with the transfer's own INSERT, in its transaction."""
    from headless_store.events.outbox import insert_statement

    return insert_statement("transfer.reversed" if posted.parent_id else "transfer.posted", transfer_data(posted),
                            now=posted.date_created)


def hold_data(hold) -> dict:
    return {
        "reference": hold.reference, "source_account_id": hold.source_id, "destination_account_id": hold.destination_id,
        "amount": str(hold.amount), "currency": hold.currency, "merchant_reference": hold.merchant_reference,
        "expires_at": hold.expires_at.isoformat(),
    }


def hold_changed(event_type: str, hold, **extra) -> tuple[str, list]:
    """hold.placed, hold.voided, hold.expired; hold.captured with `captured` and `transfer`: as the
    outbox's INSERT (sql, params), for holds.py to send with the hold's own statement."""
    from headless_store.events.outbox import insert_statement

    return insert_statement(event_type, {**hold_data(hold), **extra})


def giftcard_issued(account, posted) -> None:
    _record("giftcard.issued", {"account_id": account.pk, "code_last4": account.code_last4,
                                "amount": str(posted.amount), "currency": posted.currency,
                                "transfer": posted.reference})


def giftcard_redeemed(card, wallet, user, posted) -> None:
    _record("giftcard.redeemed", {"account_id": card.pk, "wallet_account_id": wallet.pk, "user_id": user.pk,
                                  "amount": str(posted.amount), "currency": posted.currency,
                                  "transfer": posted.reference})


def lot_notice_data(notice) -> dict:
    """What credit.* events say about a lot (ids, not names or e-mail addresses)."""
    lot, account = notice.lot, notice.lot.account
    return {
        "lot_id": lot.pk, "account_id": account.pk, "user_id": account.primary_user_id, "category": lot.category,
        "amount": str(quantize(notice.amount, account.currency)), "currency": account.currency, "expires_at": notice.expires_at.isoformat(),
    }


def credit_expiring_soon(notice) -> None:
    _record("credit.expiring_soon", lot_notice_data(notice))


def credit_expired(notice) -> None:
    _record("credit.expired", {**lot_notice_data(notice), "transfer": notice.transfer.reference})
