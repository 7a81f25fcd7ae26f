"""Loyalty's periodic work, run by the task engine's maintenance chain (headless_store/events finds
this module by name and knows nothing of what it does)."""


def heal(*, at=None) -> dict:
    """The healing sweep's proof for points: every paid order has its accrual (repaired if not)."""
    from .services import heal_accruals

    return heal_accruals(at=at)
