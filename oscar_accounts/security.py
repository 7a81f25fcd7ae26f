"""OA's brute-force protection (`record_failed_request`, `record_successful_request`,
`record_blocked_request`, `is_blocked`), on the ledger's code throttle (headless_store.ledger.
throttle, in the shared cache) instead of OA's IPAddressRecord table.

Both rules hold: OA's (FREEZE_THRESHOLD consecutive failures block; a success resets that run)
and the throttle's (ACCOUNTS_CODE_MAX_FAILURES failures in ACCOUNTS_CODE_FAILURE_WINDOW block,
successes or not, so one valid code does not let guesses go on forever). A block lasts
ACCOUNTS_CODE_COOLING_OFF seconds. The caller is the signed-in user, else the client IP."""
from django.core.cache import cache

from headless_store.ledger import throttle
from headless_store.ledger.conf import settings

FREEZE_THRESHOLD = 3


def _who(request):
    return request.META.get("REMOTE_ADDR"), getattr(request, "user", None)


def _run_key(ip, user) -> str:
    return f"ledger:codes:consecutive:{throttle.caller(ip, user)}"


def record_failed_request(request) -> None:
    ip, user = _who(request)
    throttle.record_failure(ip, user)
    key = _run_key(ip, user)
    cache.add(key, 0, timeout=settings.ACCOUNTS_CODE_FAILURE_WINDOW)
    try:
        run = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=settings.ACCOUNTS_CODE_FAILURE_WINDOW)
        run = 1
    if run >= FREEZE_THRESHOLD:
        throttle.block(ip, user)


def record_successful_request(request) -> None:
    """Ends the run of consecutive failures (the throttle's count in the window stays)."""
    cache.delete(_run_key(*_who(request)))


def record_blocked_request(request) -> None:
    """A request refused because the caller is blocked: nothing more to count."""


def is_blocked(request) -> bool:
    return throttle.retry_after(*_who(request)) > 0
