/*
 * Keep freed CPython frame data-stack chunks for reuse instead of unmapping them.
 *
 * CPython keeps each thread's frame data in 16 KB chunks obtained from the "arena allocator"
 * (mmap) and gives a chunk back (munmap) as soon as the frame at its base returns. Code that
 * loops at a call depth on a chunk boundary therefore maps and unmaps 16 KB (plus page faults)
 * on every call: https://github.com/python/cpython/issues/142183. Measured on CPython 3.11.7
 * (bench/RESULTS.md): ~1,500 such munmap calls per split-checkout request under the production
 * middleware stack. Upstream caches one chunk per thread (gh-145789); 3.14.4 is the first
 * release known to carry it (3.13's backport release is unverified), and stackcache.py installs
 * this module only on CPython before 3.14.4.
 *
 * This module wraps the arena allocator: blocks of exactly the chunk size that are freed go to a
 * small bounded cache (at most SLOTS blocks, 1 MB) and are handed out again; everything else
 * goes to the original allocator. The allocator is always called with the GIL held.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define CHUNK_SIZE (16 * 1024)
#define SLOTS 64

static PyObjectArenaAllocator original;
static void *cache[SLOTS];
static int cached = 0;
static int installed = 0;
static unsigned long long reused = 0;

static void *cached_alloc(void *ctx, size_t size) {
    if (size == CHUNK_SIZE && cached > 0) {
        reused++;
        return cache[--cached];
    }
    return original.alloc(original.ctx, size);
}

static void cached_free(void *ctx, void *ptr, size_t size) {
    if (size == CHUNK_SIZE && cached < SLOTS) {
        cache[cached++] = ptr;
        return;
    }
    original.free(original.ctx, ptr, size);
}

static PyObject *install(PyObject *self, PyObject *unused) {
    if (!installed) {
        PyObjectArenaAllocator wrapper = {NULL, cached_alloc, cached_free};
        PyObject_GetArenaAllocator(&original);
        PyObject_SetArenaAllocator(&wrapper);
        installed = 1;
    }
    Py_RETURN_TRUE;
}

static PyObject *stats(PyObject *self, PyObject *unused) {
    return Py_BuildValue("{s:i,s:i,s:K}", "installed", installed, "cached", cached, "reused", reused);
}

static PyMethodDef methods[] = {
    {"install", install, METH_NOARGS, "Wrap the arena allocator with the chunk cache (idempotent)."},
    {"stats", stats, METH_NOARGS, "{installed, cached, reused}."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_stackcache", NULL, -1, methods};

PyMODINIT_FUNC PyInit__stackcache(void) { return PyModule_Create(&module); }
