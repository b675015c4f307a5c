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

static uint64_t count;

uint64_t trainboard_malloc_count(void) { return __atomic_load_n(&count, __ATOMIC_RELAXED); }

static inline void bump(void) { __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED); }

void *malloc(size_t n) { bump(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { bump(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { bump(); return __libc_realloc(p, n); }
void *memalign(size_t align, size_t n) { bump(); return __libc_memalign(align, n); }
void *aligned_alloc(size_t align, size_t n) { bump(); return __libc_memalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    bump();
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
