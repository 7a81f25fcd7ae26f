"""Throttle for code entry: failed attempts per client IP and per user, in the shared cache.

Past ACCOUNTS_CODE_MAX_FAILURES failures within ACCOUNTS_CODE_FAILURE_WINDOW seconds, that IP
or user is blocked for ACCOUNTS_CODE_COOLING_OFF seconds. The counters live in Django's cache,
so every worker process sees them when the cache is shared (CACHE_URL=redis://...).
A successful lookup does not reset the count: otherwise one valid card would let an attacker
interleave guesses with it forever.
"""
import math
import time

from django.core.cache import cache

from .conf import settings
from .exceptions import CodeAttemptsBlocked

_PREFIX = "ledger:codes"


def _identities(ip: str | None, user) -> list[str]:
    identities = []
    if ip:
        identities.append(f"ip:{ip}")
    if user is not None and getattr(user, "is_authenticated", False):
        identities.append(f"user:{user.pk}")
    return identities


def retry_after(ip: str | None = None, user=None) -> int:
    """Seconds until this caller may enter codes again (0 when not blocked)."""
    now = time.time()
    blocked = cache.get_many([f"{_PREFIX}:block:{i}" for i in _identities(ip, user)])
    until = max(blocked.values(), default=0)
    return math.ceil(until - now) if until > now else 0


def check(ip: str | None = None, user=None) -> None:
    """Raise CodeAttemptsBlocked while the caller is cooling off."""
    wait = retry_after(ip, user)
    if wait:
        raise CodeAttemptsBlocked(wait, field="code")


def record_failure(ip: str | None = None, user=None) -> None:
    """Count one failed attempt for the IP and the user; start a block at the threshold."""
    window = settings.ACCOUNTS_CODE_FAILURE_WINDOW
    cooling_off = settings.ACCOUNTS_CODE_COOLING_OFF
    for identity in _identities(ip, user):
        key = f"{_PREFIX}:fail:{identity}"
        cache.add(key, 0, timeout=window)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            failures = 1
        if failures >= settings.ACCOUNTS_CODE_MAX_FAILURES:
            cache.set(f"{_PREFIX}:block:{identity}", time.time() + cooling_off, timeout=cooling_off)
            cache.delete(key)
