"""The checkout's periodic work, run by the task engine's maintenance chain (headless_store/events
finds this module by name and knows nothing of what it does)."""


def sweep() -> dict:
    """Settle card checkouts left open, lost or expired (card.sweep_card_checkouts); counts."""
    from .card import sweep_card_checkouts

    return sweep_card_checkouts()
