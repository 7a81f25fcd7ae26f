"""Gift-card sales' view of the settings: the project's value, else `defaults.py` (kernel/conf.py)."""
from headless_store.kernel.conf import AppSettings

from . import defaults

settings = AppSettings(defaults)
