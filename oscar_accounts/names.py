"""OA's names: the unit name, the core accounts' names and the account types' names, read from
the same settings as OA (ACCOUNTS_UNIT_NAME, ACCOUNTS_REDEMPTIONS_NAME, ACCOUNTS_LAPSED_NAME,
ACCOUNTS_UNPAID_SOURCES, ACCOUNTS_BANK_NAME, ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES) when this
module is first imported, as OA does."""
from headless_store.ledger.conf import settings

UNIT_NAME = getattr(settings, "ACCOUNTS_UNIT_NAME", "Account")
UNIT_NAME_PLURAL = getattr(settings, "ACCOUNTS_UNIT_NAME_PLURAL", f"{UNIT_NAME}s")
REDEMPTIONS = settings.ACCOUNTS_REDEMPTIONS_NAME
LAPSED = settings.ACCOUNTS_LAPSED_NAME
UNPAID_ACCOUNTS = tuple(getattr(settings, "ACCOUNTS_UNPAID_SOURCES", (settings.ACCOUNTS_UNPAID_SOURCE_NAME,)))
BANK = settings.ACCOUNTS_BANK_NAME

# Account types (by name, as OA's dashboard and API look them up)
ASSETS = "Assets"
SALES = "Sales"
CASH = "Cash"
LIABILITIES = "Liabilities"
UNPAID_ACCOUNT_TYPE = "Unpaid accounts"
DEFERRED_INCOME = "Deferred income"


def deferred_income_account_types() -> tuple[str, ...]:
    """ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES as it is now (OA's API reads it per request)."""
    return tuple(getattr(settings, "ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES", ("Dashboard created accounts",)))


DEFERRED_INCOME_ACCOUNT_TYPES = deferred_income_account_types()
