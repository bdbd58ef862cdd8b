/// @file
/// @brief Chapter 22, made fast: the same step as batchnorm_backward() on raw row-major buffers,
/// in two sweeps: the two column sums a SIMD vector of columns at a time, then `dhprebn`.
///
/// The fast trainer of chapter 23 runs this very function, with one twist: the first sweep
/// takes `dhpreact` from a function, so that the trainer computes chapter 10's step,
/// `dhpreact = (1 - h**2) * dh`, inside it, while the values are in registers, instead of in a
/// sweep of its own (`dh` and `h` are read once). The test of chapter 22 holds the step, with
/// `dhpreact` read as it is, to the plain one; the test of chapter 23 holds the trainer's to the
/// chapters' steps.
#pragma once

#include <cstddef>

#include "common/simd.hpp"

namespace ninja {

/// The two column sums of the fused step, which are chapter 11's `dbnbias` and `dbngain`:
/// `dbnbias = dhpreact.sum(0)`, `dbngain = (dhpreact * bnraw).sum(0)`. The sums run down the
/// columns a SIMD vector of columns at a time, each in a register, adding the rows in order.
/// @param[out] dbngain  (1, H)
/// @param[out] dbnbias  (1, H)
/// @param bnraw         (n, H)
/// @param n             rows (the batch)
/// @param H             columns (hidden units)
/// @param dhpreact_at   `dhpreact_at(k, lanes)`: the entries of dhpreact (n, H) from the flat
///                      index k = i * H + j on, a scalar or a SIMD vector of the type of `lanes`
template <class T, class Dhpreact>
void batchnorm_backward_sums(T* dbngain, T* dbnbias, const T* bnraw, std::size_t n, std::size_t H,
                             Dhpreact&& dhpreact_at) {
    over_columns<T>(H, [&](std::size_t j, auto lanes) {
        using Vec = decltype(lanes);
        Vec gain_sum(T(0)), bias_sum(T(0));
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = i * H + j;
            const Vec d = dhpreact_at(k, lanes);
            bias_sum += d;
            gain_sum += d * load_as<Vec>(bnraw + k);
        }
        store_to(dbngain + j, gain_sum);
        store_to(dbnbias + j, bias_sum);
    });
}

/// One entry of `dhprebn`: \f$ \frac{\gamma s}{n} (n g - \sum g - \frac{n}{n-1} \hat{x} \sum g \hat{x}) \f$.
/// @param dhpreact   \f$ g \f$, this entry's incoming gradient
/// @param bnraw      \f$ \hat{x} \f$, this entry's normalised input
/// @param gain_inv_n \f$ \gamma s / n \f$, its column's `bngain * bnvar_inv / n`
/// @param n          the batch size, as a T
/// @param dbnbias    its column's \f$ \sum g \f$
/// @param bessel     \f$ n/(n-1) \f$
/// @param dbngain    its column's \f$ \sum g \hat{x} \f$
template <class T>
inline T batchnorm_grad(T dhpreact, T bnraw, T gain_inv_n, T n, T dbnbias, T bessel, T dbngain) {
    return gain_inv_n * (n * dhpreact - dbnbias - bessel * bnraw * dbngain);
}

/// dhprebn from dhpreact and the two sums, on raw row-major buffers.
/// @param[out] dhprebn    (n, H)
/// @param[out] gain_inv_n (H,) scratch: receives each column's `bngain * bnvar_inv / n`
/// @param dhpreact        (n, H)
/// @param bnraw           (n, H)
/// @param bngain          (1, H)
/// @param bnvar_inv       (1, H)
/// @param dbngain         (1, H) from batchnorm_backward_sums()
/// @param dbnbias         (1, H) from batchnorm_backward_sums()
/// @param n               rows, at least 2
/// @param H               columns
template <class T>
void batchnorm_backward_input(T* dhprebn, T* gain_inv_n, const T* dhpreact, const T* bnraw,
                              const T* bngain, const T* bnvar_inv, const T* dbngain,
                              const T* dbnbias, std::size_t n, std::size_t H) {
    for (std::size_t j = 0; j < H; ++j) gain_inv_n[j] = bngain[j] * bnvar_inv[j] / T(n);
    const T bessel = T(n) / T(n - 1);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < H; ++j)
            dhprebn[i * H + j] =
                batchnorm_grad(dhpreact[i * H + j], bnraw[i * H + j], gain_inv_n[j], T(n),
                               dbnbias[j], bessel, dbngain[j]);
}

/// The fused batchnorm backward on raw buffers: the two sums, then dhprebn.
/// @param[out] dhprebn    (n, H)
/// @param[out] dbngain    (1, H)
/// @param[out] dbnbias    (1, H)
/// @param[out] gain_inv_n (H,) scratch
/// @param dhpreact        (n, H), read by the second sweep
/// @param bnraw           (n, H)
/// @param bngain          (1, H)
/// @param bnvar_inv       (1, H)
/// @param n               rows, at least 2
/// @param H               columns
/// @param dhpreact_at     what the first sweep reads as dhpreact (batchnorm_backward_sums()):
///                        by default `dhpreact` itself; the trainer computes chapter 10's step
///                        there and stores it into `dhpreact` for the second sweep
template <class T, class Dhpreact>
void batchnorm_backward_fast(T* dhprebn, T* dbngain, T* dbnbias, T* gain_inv_n, const T* dhpreact,
                             const T* bnraw, const T* bngain, const T* bnvar_inv, std::size_t n,
                             std::size_t H, Dhpreact&& dhpreact_at) {
    batchnorm_backward_sums(dbngain, dbnbias, bnraw, n, H, dhpreact_at);
    batchnorm_backward_input(dhprebn, gain_inv_n, dhpreact, bnraw, bngain, bnvar_inv, dbngain,
                             dbnbias, n, H);
}

/// The same, with `dhpreact` read as it is.
template <class T>
void batchnorm_backward_fast(T* dhprebn, T* dbngain, T* dbnbias, T* gain_inv_n, const T* dhpreact,
                             const T* bnraw, const T* bngain, const T* bnvar_inv, std::size_t n,
                             std::size_t H) {
    batchnorm_backward_fast(
        dhprebn, dbngain, dbnbias, gain_inv_n, dhpreact, bnraw, bngain, bnvar_inv, n, H,
        [dhpreact](std::size_t k, auto lanes) { return load_as<decltype(lanes)>(dhpreact + k); });
}

}  // namespace ninja
