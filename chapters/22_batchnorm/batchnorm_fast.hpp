/// @file
/// @brief Chapter 22, made fast: the same step as batchnorm_backward() on raw row-major
/// buffers, the two column sums a SIMD vector of columns at a time (the fast trainer of chapter
/// 23 uses it). The test of chapter 22 holds it to the plain step.
#pragma once

#include <cstddef>
#include <vector>

#include <xsimd/xsimd.hpp>
#include <xtensor/xtensor.hpp>

namespace ninja {

/// The two column sums of the fused step, which are chapter 11's `dbnbias` and `dbngain`:
/// `dbnbias = dhpreact.sum(0)`, `dbngain = (dhpreact * bnraw).sum(0)`. The sums run down the
/// columns a SIMD vector of columns at a time, each in a register, adding the rows in order.
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param n            rows (the batch)
/// @param H            columns (hidden units)
template <class T>
void batchnorm_backward_sums(T* dbngain, T* dbnbias, const T* dhpreact, const T* bnraw,
                             std::size_t n, std::size_t H) {
    using batch = xsimd::batch<T>;
    std::size_t j = 0;
    for (; j + batch::size <= H; j += batch::size) {
        batch gain_sum(T(0)), bias_sum(T(0));
        for (std::size_t i = 0; i < n; ++i) {
            const batch d = batch::load_unaligned(dhpreact + i * H + j);
            bias_sum += d;
            gain_sum += d * batch::load_unaligned(bnraw + i * H + j);
        }
        gain_sum.store_unaligned(dbngain + j);
        bias_sum.store_unaligned(dbnbias + j);
    }
    for (; j < H; ++j) {
        T gain_sum = 0, bias_sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            bias_sum += dhpreact[i * H + j];
            gain_sum += dhpreact[i * H + j] * bnraw[i * H + j];
        }
        dbngain[j] = gain_sum;
        dbnbias[j] = bias_sum;
    }
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

/// The fused batchnorm backward on raw buffers behind xtensor tensors: dhprebn, and dbngain and
/// dbnbias from the same pass.
/// @param[out] dhprebn (n, H)
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
/// @param bnvar_inv    (1, H)
template <class T>
void batchnorm_backward_fast(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 2>& dbngain,
                             xt::xtensor<T, 2>& dbnbias, const xt::xtensor<T, 2>& dhpreact,
                             const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain,
                             const xt::xtensor<T, 2>& bnvar_inv) {
    const std::size_t n = dhpreact.shape(0), H = dhpreact.shape(1);
    dhprebn.resize({n, H});
    dbngain.resize({1, H});
    dbnbias.resize({1, H});
    std::vector<T> gain_inv_n(H);  // (H,)
    batchnorm_backward_sums(dbngain.data(), dbnbias.data(), dhpreact.data(), bnraw.data(), n, H);
    batchnorm_backward_input(dhprebn.data(), gain_inv_n.data(), dhpreact.data(), bnraw.data(),
                             bngain.data(), bnvar_inv.data(), dbngain.data(), dbnbias.data(), n, H);
}

}  // namespace ninja
