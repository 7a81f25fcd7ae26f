"""Run by the client suites (frontend_contract/client-tests/) as the clock would: a card checkout's
time runs out (`expire_checkout.py <checkout id>`), and with `sweep` the scheduled sweep ends it
before the shopper comes back. Same environment as the server under test."""
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headless_store.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from headless_store.checkout.card import sweep_card_checkouts  # noqa: E402
from headless_store.checkout.models import CardCheckout  # noqa: E402

token, sweep = sys.argv[1], sys.argv[2:] == ["sweep"]
moved = CardCheckout.objects.filter(token=token).update(expires_at=timezone.now() - timedelta(seconds=1))
assert moved == 1, f"no checkout {token!r}"
if sweep:
    assert sweep_card_checkouts()["expired"] == 1
