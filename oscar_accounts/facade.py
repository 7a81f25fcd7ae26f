"""OA's facade: transfer(), reverse(), close_expired_accounts(), with OA's signatures and error
handling (refusals raise AccountException subclasses; anything else is logged and raised as
AccountException("Unable to complete transfer: ...")), posted by headless_store.ledger.facade.
Transfers come back as `oscar_accounts.models.Transfer`. New code: headless_store.ledger.facade."""
import logging

from headless_store.ledger import exceptions
from headless_store.ledger import facade as _ledger
from headless_store.ledger.services.expiry import close_expired_accounts as _sweep

from . import deprecated
from .abstract_models import as_oa
from .models import Transfer

deprecated("oscar_accounts.facade", "headless_store.ledger.facade")

logger = logging.getLogger("oscar_accounts")


def transfer(source, destination, amount, parent=None, user=None, merchant_reference=None, description=None):
    """Move `amount` from `source` to `destination`; `source.balance` and `destination.balance`
    hold the new balances afterwards."""
    if source.pk is not None and source.pk == destination.pk:
        raise exceptions.InvalidTransfer("The source and destination accounts for a transfer must be different.")
    try:
        return Transfer.objects.create(source, destination, amount, parent=parent, user=user,
                                       merchant_reference=merchant_reference, description=description)
    except exceptions.AccountException as exc:
        logger.warning("Transfer refused: %s", exc)
        raise
    except Exception as exc:
        logger.exception("Transfer failed")
        raise exceptions.AccountException(f"Unable to complete transfer: {exc}") from exc


def reverse(transfer, user=None, merchant_reference=None, description=None):
    """Send what is left of `transfer` back from its destination to its source. Unlike OA the
    reversal links to the original (`parent`) and a transfer cannot be reversed twice."""
    try:
        return as_oa(_ledger.reverse(transfer, user=user, merchant_reference=merchant_reference,
                                     description=description), Transfer)
    except exceptions.AccountException as exc:
        logger.warning("Reversal refused: %s", exc)
        raise
    except Exception as exc:
        logger.exception("Reversal failed")
        raise exceptions.AccountException(f"Unable to reverse transfer: {exc}") from exc


def close_expired_accounts():
    """OA's name for the expiry sweep (headless_store.ledger.services.expiry): what is left on each
    expired account goes to Lapsed and the account closes, empty ones included."""
    return _sweep()
