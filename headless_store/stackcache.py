"""Work around CPython's frame data-stack chunk thrashing (python/cpython#142183).

CPython keeps each thread's frame data in 16 KB chunks from the arena allocator (mmap) and
frees a chunk (munmap) as soon as the frame at its base returns, so a loop at a call depth on a
chunk boundary maps and unmaps 16 KB, with page faults, on every call. A tiny C extension
(headless_store/_native/stackcache.c) keeps up to 64 freed chunks for reuse.

What was measured (bench/RESULTS.md, CPython 3.11.7): `strace -c` counted ~1,500 munmap calls per
split-checkout request, 99.5% of them 16,384 bytes; with the cache, 301 in a 20-request run
instead of ~42,000, and payWithAccount went from 1.46x django-oscar-api's checkout to 1.06x. On
CPython 3.12.1 and 3.13.0 the extension's own counter shows the same pattern (a chunk freed and
allocated again per call across a boundary: tests/test_stackcache.py's loop); their timings were
not measured.

Upstream fix: gh-145789 ("cache one datachunk per tstate"). Python 3.14.4's changelog lists it
(gh-142183), so from 3.14.4 on `install()` does nothing. A 3.13 backport was merged
(python/cpython#146123), but which 3.13 release carries it is unverified, so the cache stays on
for every 3.13 (it is harmless where the fix exists: fewer chunks are freed). No backport to
3.11 or 3.12 is known.

`install()` runs when the project's settings load, in every process (manage.py, gunicorn workers,
tests); on other Pythons, or where the extension was not built (no C compiler), it does nothing.
HEADLESS_STORE_STACK_CACHE=0 turns it off.
"""
import os
import sys

#: The first release known to carry the upstream fix (its changelog lists gh-142183).
FIXED_UPSTREAM = (3, 14, 4)


def needed() -> bool:
    """Whether this interpreter may still thrash (CPython before the release with the fix)."""
    return sys.implementation.name == "cpython" and sys.version_info[:3] < FIXED_UPSTREAM


def install(enabled: bool | None = None) -> bool:
    """Install the cache once per process; whether it is active. `enabled` None: read
    HEADLESS_STORE_STACK_CACHE (settings.py passes what it read)."""
    if not needed():
        return False
    if enabled is None:
        enabled = os.environ.get("HEADLESS_STORE_STACK_CACHE", "1") != "0"
    if not enabled:
        return False
    try:
        from headless_store._native import _stackcache
    except ImportError:  # built without a C compiler: run as before
        return False
    return bool(_stackcache.install())


def stats() -> dict:
    try:
        from headless_store._native import _stackcache
    except ImportError:
        return {"installed": 0, "cached": 0, "reused": 0}
    return _stackcache.stats()
