"""Settings for django-oscar-accounts 3.0.1's own suite (`make oa-suite`): the project's settings
plus what OA's test settings add (its API mounted, its unit and account-type names)."""
from headless_store.settings import *  # noqa: F401,F403

ROOT_URLCONF = "tests.oa_suite.urls"

# As OA's tests/settings.py
ACCOUNTS_UNIT_NAME = "Giftcard"
ACCOUNTS_DEFERRED_INCOME_ACCOUNT_TYPES = ("Test accounts",)
# OA's API tests sign in as "client"; here the API serves only the users named (see oscar_accounts/api/decorators.py)
ACCOUNTS_API_USERS = ["client"]
