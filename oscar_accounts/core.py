"""OA's core accounts: redemptions_account(), lapsed_account() (and bank_account(),
unpaid_source_account()), as `oscar_accounts.models.Account`. The ledger keeps one of each per
currency; these return the default currency's unless given one. New code: headless_store.ledger.core."""
from headless_store.ledger import core as _core

from . import deprecated
from .abstract_models import as_oa
from .models import Account

deprecated("oscar_accounts.core", "headless_store.ledger.core")


def redemptions_account(currency=None):
    return as_oa(_core.redemptions_account(currency), Account)


def lapsed_account(currency=None):
    return as_oa(_core.lapsed_account(currency), Account)


def bank_account(currency=None):
    return as_oa(_core.bank_account(currency), Account)


def unpaid_source_account(currency=None):
    return as_oa(_core.unpaid_source_account(currency), Account)
