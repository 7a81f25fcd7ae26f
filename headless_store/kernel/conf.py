"""One settings reader per app, over one module of defaults per app (as Oscar's `oscar/defaults.py`).

Each app keeps every setting it reads, with its default and what it means, in its `defaults.py`
(UPPER_CASE names), and reads them through its `conf.settings`, an `AppSettings`: the project's
value where the project sets one, else the app's default. Values are read at each use, so
`override_settings` (and pytest-django's `settings` fixture) apply at once. headless_store/settings.py
reads the environment and passes each app's default along by name (`default=ledger.ACCOUNTS_...`),
so no default is written twice.
"""
from types import ModuleType

from django.conf import settings as _django


class AppSettings:
    def __init__(self, defaults: ModuleType):
        self._defaults = {name: getattr(defaults, name) for name in dir(defaults) if name.isupper()}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if hasattr(_django, name):
            return getattr(_django, name)
        if name in self._defaults:
            return self._defaults[name]
        raise AttributeError(name)

    def defaults(self) -> dict:
        """Every setting of the app with its default (for the documentation test)."""
        return dict(self._defaults)
