"""Names of the core accounts and of the default chart of account types.

Core account names are settings (as in django-oscar-accounts); they are read when used, so a
test's override_settings applies. Account types are found by `code`, which never changes; their
names are what staff see.
"""
from .conf import settings

# Account type codes of the default chart (see oscar_accounts_init).
ASSETS = "assets"
BANK = "bank"
UNPAID_SOURCES = "unpaid_sources"
LIABILITIES = "liabilities"
DEFERRED_INCOME = "deferred_income"
STORE_CREDIT = "store_credit"
GIFT_CARDS = "gift_cards"
LOYALTY_POINTS = "loyalty_points"
REFUND_WALLETS = "refund_wallets"
B2B_PREPAID = "b2b_prepaid"
INCOME = "income"
REDEMPTIONS = "redemptions"
LAPSED = "lapsed"
EXPENSES = "expenses"
PROMOTIONS = "promotions"

#: The default chart of accounts: (code, name, children).
DEFAULT_CHART = (
    (ASSETS, "Assets", ((BANK, "Bank", ()), (UNPAID_SOURCES, "Unpaid sources", ()))),
    (
        LIABILITIES,
        "Liabilities",
        (
            (
                DEFERRED_INCOME,
                "Deferred income",
                (
                    (STORE_CREDIT, "Store credit", ()),
                    (GIFT_CARDS, "Gift cards", ()),
                    (LOYALTY_POINTS, "Loyalty points", ()),
                    (REFUND_WALLETS, "Refund wallets", ()),
                    (B2B_PREPAID, "B2B prepaid", ()),
                ),
            ),
        ),
    ),
    (INCOME, "Income", ((REDEMPTIONS, "Redemptions", ()), (LAPSED, "Lapsed", ()))),
    (EXPENSES, "Expenses", ((PROMOTIONS, "Promotions", ()),)),
)


def core_accounts():
    """The core accounts, as (setting value, account type code, unlimited credit?)."""
    return (
        (settings.ACCOUNTS_BANK_NAME, BANK, True),
        (settings.ACCOUNTS_UNPAID_SOURCE_NAME, UNPAID_SOURCES, True),
        (settings.ACCOUNTS_PROMOTIONS_NAME, PROMOTIONS, True),
        (settings.ACCOUNTS_REDEMPTIONS_NAME, REDEMPTIONS, False),
        (settings.ACCOUNTS_LAPSED_NAME, LAPSED, False),
    )


def core_lookup(name: str | None = None, currency: str | None = None) -> dict:
    """The one rule of a core account, as filter arguments: nobody's and without a code (models.py
    keeps one such account per name and currency); with this name and currency when given."""
    lookup = {"primary_user__isnull": True, "code_hash__isnull": True}
    if name is not None:
        lookup["name"] = name
    if currency is not None:
        lookup["currency"] = currency
    return lookup


def is_core(account, setting_name: str) -> bool:
    """The same rule for an account in hand: the core account named by `setting_name`
    ("ACCOUNTS_PROMOTIONS_NAME"...)."""
    return (account.primary_user_id is None and account.code_hash is None
            and account.name == getattr(settings, setting_name))
