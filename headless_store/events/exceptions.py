"""The events app's refusals (kernel Refusals, headless_store/kernel/refusals.py)."""
from headless_store.kernel.refusals import NotFound


class WebhookEndpointNotFound(NotFound):
    """No webhook endpoint with that id."""
