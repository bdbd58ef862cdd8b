/// @file
/// @brief The per-element math of every backward step, as `__host__ __device__` inline
/// functions: the CUDA kernels call them on the GPU, and tests/test_kernel_math.cpp calls them on
/// the CPU and checks them against the chapters' xtensor steps, so this math is tested on every
/// machine, with or without a GPU.
///
/// Plain C++17: compiled by nvcc for the kernels and by the host compiler for the tests.
/// Each function computes ONE element of a gradient from the elements it depends on; the
/// reductions (sums over a broadcast axis) are done by the callers, so the steps that are a sum
/// of products and nothing else (chapters 03, 07, 12, 16 and chapter 11's dbngain) have no
/// function here: their callers sum the products (kernels/reduce.cu, kernels/train_step.hpp).
#pragma once

#include <cmath>

#include "common/hyperparameters.hpp"  // bn_eps

/// `__host__ __device__` under nvcc, nothing for the host compiler.
#ifdef __CUDACC__
#define NINJA_HD __host__ __device__
#else
#define NINJA_HD
#endif

namespace ninja::math {

// ---- forward -----------------------------------------------------------------------------------

/// bnvar_inv = (bnvar + eps)**-0.5
NINJA_HD inline float bnvar_inv(float bnvar) { return 1.0f / sqrtf(bnvar + float(bn_eps)); }

// ---- backward, one function per chapter --------------------------------------------------------

/// Chapter 01: dlogprobs[i, j] = -1/n if j == Yb[i] else 0.
NINJA_HD inline float dlogprobs(bool is_target, int n) {
    return is_target ? -1.0f / float(n) : 0.0f;
}

/// Chapter 02: dprobs = dlogprobs / probs (d log(x)/dx = 1/x).
NINJA_HD inline float dprobs(float dlogprobs, float probs) { return dlogprobs / probs; }

/// Chapter 04: dcounts_sum = -dcounts_sum_inv / counts_sum**2 (d x**-1/dx = -x**-2).
NINJA_HD inline float dcounts_sum(float dcounts_sum_inv, float counts_sum) {
    return -dcounts_sum_inv / (counts_sum * counts_sum);
}

/// Chapter 05: dcounts[i, j] = counts_sum_inv[i] * dprobs[i, j] + dcounts_sum[i].
NINJA_HD inline float dcounts(float counts_sum_inv, float dprobs, float dcounts_sum) {
    return counts_sum_inv * dprobs + dcounts_sum;
}

/// Chapter 06: dnorm_logits = counts * dcounts (d exp(x)/dx = exp(x)).
NINJA_HD inline float dnorm_logits(float counts, float dcounts) { return counts * dcounts; }

/// Chapter 08: dlogits[i, j] = dnorm_logits[i, j] + (j is row i's first maximum ? dlogit_maxes[i] : 0).
NINJA_HD inline float dlogits(float dnorm_logits, bool is_row_max, float dlogit_maxes) {
    return is_row_max ? dnorm_logits + dlogit_maxes : dnorm_logits;
}

/// Chapter 10: dhpreact = (1 - h**2) * dh (d tanh(x)/dx = 1 - tanh(x)**2).
NINJA_HD inline float dhpreact(float h, float dh) { return (1.0f - h * h) * dh; }

/// Chapter 11: dbnraw = bngain * dhpreact.
NINJA_HD inline float dbnraw(float bngain, float dhpreact) { return bngain * dhpreact; }

/// Chapter 13: dbnvar = -0.5 * (bnvar + eps)**-1.5 * dbnvar_inv.
NINJA_HD inline float dbnvar(float dbnvar_inv, float bnvar) {
    return -0.5f * powf(bnvar + float(bn_eps), -1.5f) * dbnvar_inv;
}

/// Chapter 14: dbndiff2[i, j] = 1/(n-1) * dbnvar[j] (the sum broadcasts its gradient).
NINJA_HD inline float dbndiff2(float dbnvar, int n) { return (1.0f / float(n - 1)) * dbnvar; }

/// Chapter 15: dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2 (two uses, gradients add).
NINJA_HD inline float dbndiff(float bnvar_inv, float dbnraw, float bndiff, float dbndiff2) {
    return bnvar_inv * dbnraw + 2.0f * bndiff * dbndiff2;
}

/// Chapter 17: dhprebn[i, j] = dbndiff[i, j] + 1/n * dbnmeani[j].
NINJA_HD inline float dhprebn(float dbndiff, float dbnmeani, int n) {
    return dbndiff + (1.0f / float(n)) * dbnmeani;
}

/// Chapter 21 (fused cross-entropy): dlogits[i, j] = (softmax(logits)[i, j] - [j == Yb[i]]) / n.
/// @param e_shifted exp(logits[i, j] - max_j logits[i, :])
/// @param row_sum   sum over the row of e_shifted
/// @param is_target whether column j is row i's target Yb[i]
/// @param n         rows in the batch
NINJA_HD inline float dlogits_fused(float e_shifted, float row_sum, bool is_target, int n) {
    return (e_shifted / row_sum - (is_target ? 1.0f : 0.0f)) / float(n);
}

/// Chapter 22 (fused batchnorm):
/// dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0)).
/// @param bngain             the gain of column j
/// @param bnvar_inv          column j's inverse standard deviation
/// @param n                  rows in the batch
/// @param dhpreact           the incoming gradient at (i, j)
/// @param sum_dhpreact       column j's sum of dhpreact
/// @param bnraw              the normalised pre-activation at (i, j)
/// @param sum_dhpreact_bnraw column j's sum of dhpreact * bnraw
NINJA_HD inline float dhprebn_fused(float bngain, float bnvar_inv, int n, float dhpreact,
                                    float sum_dhpreact, float bnraw, float sum_dhpreact_bnraw) {
    const float nf = float(n);
    return bngain * bnvar_inv / nf *
           (nf * dhpreact - sum_dhpreact - nf / (nf - 1.0f) * bnraw * sum_dhpreact_bnraw);
}

/// Plain SGD: p <- p - lr * grad.
NINJA_HD inline float sgd(float p, float grad, float lr) { return p - lr * grad; }

}  // namespace ninja::math
