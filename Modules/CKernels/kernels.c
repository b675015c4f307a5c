#include "CKernels.h"

// Keep each multiply and add separately rounded, as the Swift code it replaces.
#pragma STDC FP_CONTRACT OFF

// Built for AVX-512 and AVX2 as well as the baseline; the loader picks the clone the CPU runs
// (ifunc). Every clone rounds alike: no contraction, IEEE sqrt and division.
__attribute__((target_clones("avx512f", "avx2", "default")))
void tb_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                    float beta1, float beta2, float step_size, float correction2, float eps) {
    const float one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - beta2, neg_step = -step_size;
    for (long i = 0; i < n; i++) {
        const float gi = g[i];
        const float mi = m[i] + one_minus_beta1 * (gi - m[i]);
        const float vi = beta2 * v[i] + one_minus_beta2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] + neg_step * mi / (__builtin_elementwise_sqrt(vi) / correction2 + eps);
    }
}
