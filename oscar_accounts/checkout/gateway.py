"""OA's checkout gateway: `user_accounts(user)`, `redeem(order_number, user, allocations)` and
`create_giftcard(order_number, user, amount)`, on the ledger.

Unlike OA, `redeem` is all or nothing (one database transaction: a refused transfer undoes the
others) and codes are looked up by their keyed hash."""
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.payment.exceptions import UnableToTakePayment

from headless_store.ledger import core, exceptions
from headless_store.ledger import facade as ledger_facade

from .. import codes
from ..models import Account, Transfer
from . import allocation  # noqa: F401  (OA's package layout)


def user_accounts(user):
    """The user's accounts that are inside their validity window."""
    return Account.active.filter(primary_user=user)


def redeem(order_number, user, allocations):
    """Pay for `order_number` from each allocated account code into Redemptions. Raises
    UnableToTakePayment, and takes nothing, if any of them is refused."""
    try:
        with transaction.atomic():
            for code, amount in allocations.items():
                account = Account.active.filter(code=code).first()
                if account is None:
                    raise UnableToTakePayment(_("No active account found with code %s") % code)
                destination = core.redemptions_account(account.currency)
                Transfer.objects.create(account, destination, amount, user=user, merchant_reference=order_number,
                                        description=f"Redeemed to pay for order {order_number}")
    except exceptions.AccountException as exc:
        raise UnableToTakePayment(str(exc)) from exc


def create_giftcard(order_number, user, amount, currency=None):
    """A new gift card holding `amount`, paid for by order `order_number` (from Bank); its code
    is on the returned account's `code`, shown once."""
    with transaction.atomic():
        account = Account(code=codes.generate(), name=f"Gift card for order {order_number}")
        if currency:
            account.currency = currency
        account.save()
        ledger_facade.transfer(core.bank_account(account.currency), account, amount, user=user,
                               merchant_reference=order_number, description="Create new account")
    return account
