"""WSGI entry point."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headless_store.settings")
application = get_wsgi_application()

# A server never starts on a sandbox card processor where money is real (DEBUG off).
from headless_store.checkout.checks import refuse_unsafe_start  # noqa: E402  needs the apps loaded

refuse_unsafe_start()
