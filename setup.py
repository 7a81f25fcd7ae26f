"""Only for the optional C extension; everything else is in pyproject.toml.

headless_store/_native/stackcache.c works around CPython's frame-stack chunk thrashing before the
upstream fix (python/cpython#142183; see headless_store/stackcache.py). It is optional: without a C compiler the install goes on and
the project runs without it.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("headless_store._native._stackcache", ["headless_store/_native/stackcache.c"],
                             optional=True)])
