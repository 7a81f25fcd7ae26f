import pytest


@pytest.fixture(autouse=True)
def _receivers_on_loopback(loopback_webhooks):
    """These tests' receivers (pytest-httpserver) listen on loopback, let through by the allowlist."""
