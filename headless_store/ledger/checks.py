"""Deployment checks (`manage.py check --deploy`) for settings the ledger relies on."""
from django.core.checks import Tags, Warning, register

from . import conf
from .conf import settings

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def throttle_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "The gift-card code throttle counts failures in a per-process cache; with several "
                "worker processes an attacker gets a fresh allowance in each.",
                hint="Set CACHE_URL (or REDIS_URL) to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="ledger.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def code_hash_key_is_its_own(app_configs, **kwargs):
    if conf.code_hash_key() == settings.SECRET_KEY:
        return [
            Warning(
                "Gift-card codes are hashed with SECRET_KEY: rotating it would make every issued code unusable.",
                hint="Set ACCOUNTS_CODE_HASH_KEY to a separate secret before issuing codes.",
                id="ledger.W002",
            )
        ]
    return []
