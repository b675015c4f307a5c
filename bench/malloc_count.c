// A heap-allocation counter for `trainboard bench train`, loaded with
// LD_PRELOAD (bench/compare.sh builds it): every malloc-family call bumps one
// counter, which the bench reads through `trainboard_malloc_count()` (dlsym).
// Allocation is forwarded to glibc's __libc_* entry points, so no dlsym
// bootstrapping is needed.
//   cc -O2 -shared -fPIC -o .build/malloc_count.so bench/malloc_count.c
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static uint64_t count, large, bytes;

/// Calls so far.
uint64_t trainboard_malloc_count(void) { return __atomic_load_n(&count, __ATOMIC_RELAXED); }
/// Calls of 64 KiB or more so far (tensor buffers, not graph nodes).
uint64_t trainboard_malloc_large_count(void) { return __atomic_load_n(&large, __ATOMIC_RELAXED); }
/// Bytes requested so far.
uint64_t trainboard_malloc_bytes(void) { return __atomic_load_n(&bytes, __ATOMIC_RELAXED); }

static inline void bump(size_t n) {
    __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes, n, __ATOMIC_RELAXED);
    if (n >= 65536) __atomic_fetch_add(&large, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t n) { bump(n); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { bump(a * b); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { bump(n); return __libc_realloc(p, n); }
void *memalign(size_t align, size_t n) { bump(n); return __libc_memalign(align, n); }
void *aligned_alloc(size_t align, size_t n) { bump(n); return __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    bump(n);
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
