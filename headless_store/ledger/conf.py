"""The ledger's view of the settings: the project's value where it sets one, else the default
from `defaults.py` (headless_store/kernel/conf.py). Read at each use, so `override_settings`
applies at once."""
from headless_store.kernel.conf import AppSettings

from . import defaults

settings = AppSettings(defaults)


def currencies() -> list[str]:
    """Currencies with core accounts: ACCOUNTS_CURRENCIES, else Oscar's default currency."""
    return list(settings.ACCOUNTS_CURRENCIES or [settings.OSCAR_DEFAULT_CURRENCY])


def code_hash_key() -> str:
    """The gift-card code HMAC key: ACCOUNTS_CODE_HASH_KEY, else SECRET_KEY (check --deploy warns)."""
    return str(settings.ACCOUNTS_CODE_HASH_KEY or settings.SECRET_KEY)
