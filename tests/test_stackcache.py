"""The frame-stack chunk cache for CPython before the upstream fix (headless_store/stackcache.py)."""
import sys

import pytest
from django.conf import settings

from headless_store import stackcache

needs_old_cpython = pytest.mark.skipif(not stackcache.needed(), reason="CPython 3.14.4+ caches chunks itself")


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


@pytest.mark.parametrize(("implementation", "version", "needed"), [
    ("cpython", (3, 11, 7), True), ("cpython", (3, 12, 1), True), ("cpython", (3, 13, 99), True),
    ("cpython", (3, 14, 3), True), ("cpython", (3, 14, 4), False), ("cpython", (3, 15, 0), False),
    ("pypy", (3, 11, 0), False),
])
def test_it_is_a_no_op_from_the_release_with_the_upstream_fix(monkeypatch, implementation, version, needed):
    monkeypatch.setattr(sys, "implementation", type("Implementation", (), {"name": implementation}))
    monkeypatch.setattr(sys, "version_info", (*version, "final", 0))
    assert stackcache.needed() is needed
    if not needed:
        assert stackcache.install(enabled=True) is False
