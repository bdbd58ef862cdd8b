/// @file
/// @brief Chapter 21, made fast: the same gradient as cross_entropy_backward() in one pass over
/// raw row-major buffers, with the loss as a by-product (the fast trainer of chapter 23 uses it).
///
/// \f$ e^{z} \f$ overflows float32 for \f$ z > 88 \f$. Because a softmax ignores a constant
/// added to its row, the step subtracts the row's maximum \f$ m_i \f$ first:
/// \f$ p_{ij} = e^{z_{ij} - m_i} / \sum_k e^{z_{ik} - m_i} \f$, where every exponent is at
/// most 0 and the sum is at least 1. The forward loss comes out of the same pass for free:
/// \f$ \ell_i = \log \sum_k e^{z_{ik} - m_i} - (z_{i y_i} - m_i) \f$. The pass has three
/// sweeps: the row maxima and the shifted logits; the exponentials of the whole (n, V) block at
/// once (vectorised); then each row's sum (their logarithms a vector of rows at a time), its
/// reciprocal, and \f$ (p_{ij} - [j = y_i])/n \f$. The fast trainer of chapter 23 runs this
/// very function.
///
/// The test of chapter 21 holds this pass to the plain step, and its loss to PyTorch's.
#pragma once

#include <algorithm>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "common/simd.hpp"  // max_of, exp_inplace, sum_of

namespace ninja {

/// One entry of the fused gradient: \f$ (p - [j = y]) / n \f$.
/// @param p         the softmax probability of the entry
/// @param is_target whether the entry's column is its row's target
/// @param n         the batch size
template <class T>
inline T cross_entropy_grad(T p, bool is_target, std::size_t n) {
    return (p - T(is_target)) / T(n);
}

/// The fused cross-entropy on raw row-major buffers: writes
/// `dlogits = (softmax(logits) - onehot(Yb)) / n` and returns the loss
/// `-mean(log softmax(logits)[i, Yb[i]])` that comes out of the same pass.
/// @param[out] dlogits (n, V) may not alias `logits`
/// @param logits       (n, V)
/// @param Yb           (n,) the target of each row, in [0, V)
/// @param n            rows
/// @param V            columns (the vocabulary)
/// @return the mean loss over the n rows
template <class T>
T cross_entropy_backward_fast(T* dlogits, const T* logits, const std::int64_t* Yb, std::size_t n,
                              std::size_t V) {
    T loss = 0;
    for (std::size_t i = 0; i < n; ++i) {  // sweep 1: shift each row by its maximum
        const T* z = logits + i * V;
        const T m = max_of(z, V);
        for (std::size_t j = 0; j < V; ++j) dlogits[i * V + j] = z[j] - m;  // <= 0
        loss -= z[Yb[i]] - m;  // the l_i term -(z_iy - m_i)
    }
    exp_inplace(dlogits, n * V);  // sweep 2: exp(z - m), the whole (n, V) block at once
    using batch = xsimd::batch<T>;
    for (std::size_t i0 = 0; i0 < n; i0 += batch::size) {  // sweep 3, a SIMD vector of rows at once
        const std::size_t rows = std::min(batch::size, n - i0);
        alignas(64) T counts_sum[batch::size];
        for (std::size_t r = 0; r < batch::size; ++r)
            counts_sum[r] = r < rows ? sum_of(dlogits + (i0 + r) * V, V) : T(1);
        alignas(64) T logs[batch::size];
        xsimd::log(batch::load_aligned(counts_sum)).store_aligned(logs);
        for (std::size_t r = 0; r < rows; ++r) {  // normalise, subtract the target, / n
            T* row = dlogits + (i0 + r) * V;
            loss += logs[r];  // the l_i term log(sum_k exp(z_ik - m_i))
            const T counts_sum_inv = T(1) / counts_sum[r];
            const auto y = static_cast<std::size_t>(Yb[i0 + r]);
            const T p_target = row[y] * counts_sum_inv;
            for (std::size_t j = 0; j < V; ++j)
                row[j] = cross_entropy_grad(row[j] * counts_sum_inv, false, n);
            row[y] = cross_entropy_grad(p_target, true, n);
        }
    }
    return loss / T(n);
}

}  // namespace ninja
