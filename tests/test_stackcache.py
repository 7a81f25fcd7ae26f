"""The CPython 3.11/3.12 frame-stack chunk cache (headless_store/stackcache.py)."""
import sys

import pytest
from django.conf import settings

from headless_store import stackcache

needs_old_cpython = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 13), reason="CPython 3.13+ caches chunks itself"
)


@needs_old_cpython
def test_it_is_installed_when_the_settings_load():
    # `make install` builds the extension; CI has a compiler, so here it must be active.
    assert settings.STACK_CACHE is True
    assert stackcache.stats()["installed"] == 1


@needs_old_cpython
def test_calls_across_a_chunk_boundary_reuse_the_cached_chunk():
    def descend(depth):
        if depth:
            return descend(depth - 1)
        return leaf()

    def leaf():
        return 1

    before = stackcache.stats()["reused"]
    for depth in range(200, 300):  # some depth in this range sits on a chunk boundary
        for _ in range(20):
            descend(depth)
    assert stackcache.stats()["reused"] - before >= 20


def test_installing_twice_changes_nothing():
    first = stackcache.install()
    assert stackcache.install() == first
