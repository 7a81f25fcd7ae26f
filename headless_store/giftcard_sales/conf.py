"""The app's view of the settings: the project's value where it sets one, else `defaults.py`."""
from django.conf import settings as _django

from . import defaults


class GiftCardSettings:
    def __getattr__(self, name: str):
        if hasattr(_django, name):
            return getattr(_django, name)
        if name.startswith("GIFT_CARD_") and hasattr(defaults, name):
            return getattr(defaults, name)
        raise AttributeError(name)


settings = GiftCardSettings()
