"""Work around CPython 3.11/3.12 frame data-stack chunk thrashing (python/cpython#142183).

Those versions map a fresh 16 KB chunk whenever a call crosses a chunk boundary and unmap it on
return, so a loop at the wrong call depth pays an mmap, a munmap and page faults per call. A
GraphQL request under the production middleware stack did that ~1,500 times, which made
payWithAccount 1.46x django-oscar-api's checkout instead of 1.04x (bench/RESULTS.md). CPython
3.13.3+/3.14 cache a chunk per thread; here a tiny C extension (headless_store/_native) caches
up to 64 freed chunks. `install()` runs when the project's settings load, in every process
(manage.py, gunicorn workers, tests); on other Pythons, or where the extension was not built,
it does nothing. HEADLESS_STORE_STACK_CACHE=0 turns it off.
"""
import os
import sys


def install(enabled: bool | None = None) -> bool:
    """Install the cache once per process; whether it is active. `enabled` None: read
    HEADLESS_STORE_STACK_CACHE (settings.py passes what it read)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 13):
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
