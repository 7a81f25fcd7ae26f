"""The ledger's view of the settings: the project's value where it sets one, else the default
from `defaults.py`. Read at each use, so `override_settings` applies at once."""
from django.conf import settings as _django

from . import defaults


class LedgerSettings:
    def __getattr__(self, name: str):
        if hasattr(_django, name):
            return getattr(_django, name)
        if name.startswith("ACCOUNTS_") and hasattr(defaults, name):
            return getattr(defaults, name)
        raise AttributeError(name)


settings = LedgerSettings()
