"""Deployment checks warn about settings that weaken the code throttle or the code hashes."""
from django.core.checks import run_checks


def ids():
    return {message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("ledger.")}


def test_a_per_process_cache_and_a_shared_hash_key_are_flagged(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.ACCOUNTS_CODE_HASH_KEY = settings.SECRET_KEY
    assert ids() == {"ledger.W001", "ledger.W002"}


def test_a_shared_cache_and_a_separate_key_pass(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}}
    settings.ACCOUNTS_CODE_HASH_KEY = "another-secret"
    assert ids() == set()
