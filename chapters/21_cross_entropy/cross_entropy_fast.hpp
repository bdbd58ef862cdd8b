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
#include <cmath>
#include <cstdint>

#include <xsimd/xsimd.hpp>
#include <xtensor/xtensor.hpp>

namespace ninja {

/// `x[k] = exp(x[k])` for `count` contiguous values: whole SIMD batches with xsimd's exp (the
/// function `xt::exp` uses in the forward pass), the remainder with std::exp.
template <class T>
void exp_inplace(T* x, std::size_t count) {
    using batch = xsimd::batch<T>;
    std::size_t k = 0;
    for (; k + batch::size <= count; k += batch::size)
        xsimd::exp(batch::load_unaligned(x + k)).store_unaligned(x + k);
    for (; k < count; ++k) x[k] = std::exp(x[k]);
}

/// The largest of `count` values (at least one). The order of the comparisons cannot change a
/// maximum, so they run on SIMD batches.
template <class T>
T max_of(const T* x, std::size_t count) {
    using batch = xsimd::batch<T>;
    T m = x[0];
    std::size_t k = 0;
    if (count >= batch::size) {
        batch mb = batch::load_unaligned(x);
        for (k = batch::size; k + batch::size <= count; k += batch::size)
            mb = xsimd::max(mb, batch::load_unaligned(x + k));
        alignas(64) T lanes[batch::size];
        mb.store_aligned(lanes);
        m = *std::max_element(lanes, lanes + batch::size);
    }
    for (; k < count; ++k) m = std::max(m, x[k]);
    return m;
}

/// The sum of `count` values: SIMD batches lane by lane, then the lanes, then the remainder.
/// (The order of a floating-point sum changes its rounding; the fast pass and the fast trainer of
/// chapter 23 both use this one.)
template <class T>
T sum_of(const T* x, std::size_t count) {
    using batch = xsimd::batch<T>;
    std::size_t k = 0;
    T s = 0;
    if (count >= batch::size) {
        batch sb = batch::load_unaligned(x);
        for (k = batch::size; k + batch::size <= count; k += batch::size)
            sb += batch::load_unaligned(x + k);
        s = xsimd::hadd(sb);
    }
    for (; k < count; ++k) s += x[k];
    return s;
}

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

/// dlogits from logits and the targets, in one pass (the xtensor face of the step above).
/// @param[out] dlogits (n, V) resized to the shape of `logits`
/// @param logits       (n, V)
/// @param Yb           (n,)
/// @return the loss, as a by-product
template <class T>
T cross_entropy_backward_fast(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                              const xt::xtensor<std::int64_t, 1>& Yb) {
    dlogits.resize(logits.shape());  // (n, V)
    return cross_entropy_backward_fast(dlogits.data(), logits.data(), Yb.data(), logits.shape(0),
                                       logits.shape(1));
}

}  // namespace ninja
