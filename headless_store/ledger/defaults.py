"""The ledger's settings and their defaults, in one place (as `oscar/defaults.py` does).

A project overrides any of them in its Django settings; the ledger reads them through
`headless_store.ledger.conf.settings`, which falls back to these values. This module only
declares values: it imports nothing, so settings.py can name its defaults.
"""

# Names of the core accounts, as django-oscar-accounts called them.
ACCOUNTS_BANK_NAME = "Bank"
ACCOUNTS_UNPAID_SOURCE_NAME = "Unpaid source"
ACCOUNTS_PROMOTIONS_NAME = "Promotions"
ACCOUNTS_REDEMPTIONS_NAME = "Redemptions"
ACCOUNTS_LAPSED_NAME = "Lapsed accounts"

# The account type (code) of accounts made without one through oscar_accounts, as
# django-oscar-accounts allowed.
ACCOUNTS_DEFAULT_ACCOUNT_TYPE = "store_credit"

# Currencies for which oscar_accounts_init creates core accounts (default: Oscar's currency).
ACCOUNTS_CURRENCIES = None

# Staff loads (opening balances, top-ups) below this are refused; no account may be loaded above
# ACCOUNTS_MAX_ACCOUNT_VALUE (None: no ceiling). Same names as django-oscar-accounts.
ACCOUNTS_MIN_LOAD_VALUE = "0.01"
ACCOUNTS_MAX_ACCOUNT_VALUE = None
ACCOUNTS_MAX_GIFT_CARDS_PER_BATCH = 1000

# Largest amount one transfer may move; larger amounts are refused with InvalidAmount.
ACCOUNTS_MAX_TRANSFER_AMOUNT = "1000000000"

# Gift-card codes are stored as HMAC-SHA256(key, code). None: SECRET_KEY (check --deploy warns:
# changing SECRET_KEY would then make every issued code unusable).
ACCOUNTS_CODE_HASH_KEY = None
ACCOUNTS_CODE_LENGTH = 16

# On PostgreSQL a posting's statements (a transfer's, a hold's capture) are bound on the server
# and prepared once per connection (posting.py's `posting_cursor`): planned once, not on every
# transfer. False behind a pooler in transaction mode that cannot keep prepared statements
# (PgBouncer before 1.21, or without `max_prepared_statements`).
ACCOUNTS_PREPARED_STATEMENTS = True

# How long a hold reserves money before it expires (seconds); `ledger_expire_holds` releases it.
ACCOUNTS_HOLD_TIMEOUT = 15 * 60

# Credit lots' expiry rules per account type code (headless_store/ledger/lots.py), applied when
# a lot is made: `min_life_days` (an expiry is never sooner than that after the lot becomes
# effective) and `extend_on_load` (a new lot moves the expiry of the account's earlier lots of
# its category out to its own). Gift cards: 5 years from issue or from the last load, as the US
# CARD Act / Regulation E ask (Ireland: 5 years too). Types not named: no rule.
ACCOUNTS_LOT_POLICIES = {
    "gift_cards": {"min_life_days": 5 * 365 + 1, "extend_on_load": True},
}

# Failed code attempts per client IP and per user before a cooling-off period (seconds).
ACCOUNTS_CODE_MAX_FAILURES = 5
ACCOUNTS_CODE_FAILURE_WINDOW = 15 * 60
ACCOUNTS_CODE_COOLING_OFF = 15 * 60
# Failed code attempts from one client IP whoever makes them (guests and every account signed in
# from it): accounts registered by the dozen from one address share this one allowance.
ACCOUNTS_CODE_MAX_FAILURES_PER_IP = 20


# Finance reports on customer credit (selectors/credit_reports.py).
# The expected breakage rate per account type code (a share of the value issued: "0.08" is 8%),
# for the proportional method; a type not named gets an estimate from history (of the value of
# its lots that reached their expiry, the share that lapsed).
ACCOUNTS_BREAKAGE_RATES = {}
# What the dashboard's dormancy and expiring-lots reports show until staff change it.
ACCOUNTS_DORMANCY_MONTHS = 24
ACCOUNTS_EXPIRING_LOTS_DAYS = 30

# Credit expiry notices (services/notices.py): `credit.expiring_soon` and its e-mail go out this
# many days before a lot expires (once per lot and expiry date); `credit.expired` when it lapses.
# None: no expiring-soon notices.
ACCOUNTS_EXPIRY_NOTICE_DAYS = 14
# Failed e-mail sends of a notice before it is given up (each maintenance sweep tries again).
ACCOUNTS_NOTICE_EMAIL_MAX_ATTEMPTS = 5
