"""Throttle for code entry: failed attempts per caller, in the shared cache.

A signed-in customer is counted per user, a guest per client IP: a guest guessing behind a shared
proxy or NAT cannot lock signed-in customers out, and a customer's mistakes do not block the
office they sit in. Past ACCOUNTS_CODE_MAX_FAILURES failures within ACCOUNTS_CODE_FAILURE_WINDOW
seconds the caller is blocked for ACCOUNTS_CODE_COOLING_OFF seconds. Every failure also counts
against its client IP whoever made it, up to ACCOUNTS_CODE_MAX_FAILURES_PER_IP (larger, as an
office or a NAT shares an address): accounts self-registered from one address do not each get a
fresh set of guesses.

Every attempt is counted *before* the code is looked up, with one atomic increment in the cache
(`reserve`): of 20 concurrent wrong codes at most the limit are looked up, the rest are refused
at once. A successful lookup gives its attempt back (`release`), so one valid card does not let an
attacker interleave guesses with it forever, nor does it count against an honest customer. The
counters live in Django's cache, so every worker process shares them when the cache is shared
(CACHE_URL=redis://...).
"""
import math
import time

from django.core.cache import cache

from .conf import settings
from .exceptions import CodeAttemptsBlocked

_PREFIX = "ledger:codes"


def caller(ip: str | None, user) -> str:
    """Whose attempts these are: the signed-in user, else the client IP."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{ip or 'unknown'}"


def _buckets(ip: str | None, user) -> list[tuple[str, int]]:
    """The counters an attempt goes to, each with its limit: the caller's own, and its IP's
    whoever signed in (so self-registered accounts from one address share one allowance)."""
    buckets = [(caller(ip, user), settings.ACCOUNTS_CODE_MAX_FAILURES)]
    if ip:
        buckets.append((f"any:{ip}", settings.ACCOUNTS_CODE_MAX_FAILURES_PER_IP))
    return buckets


def retry_after(ip: str | None = None, user=None) -> int:
    """Seconds until this caller may enter codes again (0 when not blocked)."""
    until = max((cache.get(f"{_PREFIX}:block:{who}") or 0) for who, _limit in _buckets(ip, user))
    now = time.time()
    return math.ceil(until - now) if until > now else 0


def check(ip: str | None = None, user=None) -> None:
    """Raise CodeAttemptsBlocked while the caller is cooling off."""
    wait = retry_after(ip, user)
    if wait:
        raise CodeAttemptsBlocked(wait, field="code")


def reserve(ip: str | None = None, user=None) -> None:
    """Count an attempt before looking the code up; refuse it past a limit."""
    check(ip, user)
    over = [who for who, limit in _buckets(ip, user) if _count(who, +1) > limit]
    for who in over:
        _block(who)
    if over:
        check(ip, user)


def release(ip: str | None = None, user=None) -> None:
    """The reserved attempt found a usable code: it does not count as a failure."""
    for who, _limit in _buckets(ip, user):
        _count(who, -1)


def record_failure(ip: str | None = None, user=None, *, reserved: bool = False) -> None:
    """A failed attempt (already counted if it was `reserved`); block the caller at a limit."""
    for who, limit in _buckets(ip, user):
        if _count(who, 0 if reserved else +1) >= limit:
            _block(who)


def block(ip: str | None = None, user=None) -> None:
    """Block the caller now (a stricter rule than the count, e.g. django-oscar-accounts'
    consecutive failures in oscar_accounts.security)."""
    _block(caller(ip, user))


def _count(who: str, step: int) -> int:
    """Add `step` to the caller's failures in this window, atomically; the count after it."""
    key = f"{_PREFIX}:fail:{who}"
    cache.add(key, 0, timeout=settings.ACCOUNTS_CODE_FAILURE_WINDOW)
    try:
        if step > 0:
            return cache.incr(key, step)
        if step < 0:
            return cache.decr(key, -step)
        return cache.get(key, 0)
    except ValueError:  # expired between add() and incr(): a fresh window
        cache.add(key, max(step, 0), timeout=settings.ACCOUNTS_CODE_FAILURE_WINDOW)
        return max(step, 0)


def _block(who: str) -> None:
    """Block the caller; the count stays (concurrent attempts still see it over the limit) and
    ends with the block, so a fresh window starts when the cooling-off does."""
    cooling_off = settings.ACCOUNTS_CODE_COOLING_OFF
    cache.set(f"{_PREFIX}:block:{who}", time.time() + cooling_off, timeout=cooling_off)
    cache.touch(f"{_PREFIX}:fail:{who}", timeout=cooling_off)
