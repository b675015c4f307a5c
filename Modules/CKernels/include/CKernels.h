#ifndef TRAINBOARD_CKERNELS_H
#define TRAINBOARD_CKERNELS_H

/// Elementwise loops that the Swift compiler cannot vectorize on Linux: a
/// scalar `squareRoot()` there lowers to libm `sqrtf` with its errno check,
/// which blocks vectorization. These use `__builtin_elementwise_sqrt`, which
/// never sets errno, so clang vectorizes them.

/// One Adam step without weight decay or amsgrad, in PyTorch's order of
/// operations (see `Adam` in Modules/Training/Adam.swift):
///   m ← m + (1 − β₁)(g − m);  v ← β₂ v + (1 − β₂) g²;
///   p ← p + (−stepSize) · m / (√v / correction2 + eps)
void tb_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                    float beta1, float beta2, float step_size, float correction2, float eps);

#endif
