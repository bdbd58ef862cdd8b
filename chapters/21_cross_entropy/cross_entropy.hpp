/// @file
/// @brief Chapter 21: the derivation, and the code of the step.
///
/// @section ch21_forward The forward lines
/// Chapters 01 to 08 walked back through eight lines of the forward pass, one at a time:
/// @code
/// logit_maxes = logits.max(1, keepdim=True).values
/// norm_logits = logits - logit_maxes
/// counts = norm_logits.exp()
/// counts_sum = counts.sum(1, keepdims=True)
/// counts_sum_inv = counts_sum**-1
/// probs = counts * counts_sum_inv
/// logprobs = probs.log()
/// loss = -logprobs[range(n), Yb].mean()
/// @endcode
/// Together they are one function, `loss = F.cross_entropy(logits, Yb)`, mapping the
/// logits (n, V) to a scalar. This chapter differentiates that function as a whole, on paper,
/// and ends with a gradient that takes one pass over the logits instead of eight steps.
///
/// @section ch21_derivation The derivation
/// Write \f$ z_{ij} \f$ for `logits[i, j]` and \f$ y_i \f$ for the target of row \f$ i \f$.
/// The softmax of row \f$ i \f$ and the loss are
/// \f[
///   p_{ij} = \frac{e^{z_{ij}}}{S_i}, \qquad S_i = \sum_{k=1}^{V} e^{z_{ik}}, \qquad
///   L = \frac{1}{n} \sum_{i=1}^{n} \ell_i, \qquad \ell_i = -\log p_{i y_i}.
/// \f]
/// A logit of row \f$ i \f$ reaches the loss only through \f$ \ell_i \f$, since the other rows
/// have their own softmax. So
/// \f$ \partial L / \partial z_{ij} = \frac{1}{n}\, \partial \ell_i / \partial z_{ij} \f$, and
/// by the chain rule through the logarithm
/// \f[
///   \frac{\partial \ell_i}{\partial z_{ij}}
///   = -\frac{1}{p_{i y_i}} \, \frac{\partial p_{i y_i}}{\partial z_{ij}}.
/// \f]
/// The picked probability \f$ p_{i y_i} = e^{z_{i y_i}} / S_i \f$ depends on \f$ z_{ij} \f$ in
/// one of two ways, and the quotient rule handles each.
///
/// <b>Case \f$ j = y_i \f$</b> (the correct character): \f$ z_{ij} \f$ appears in the numerator
/// and, through \f$ \partial S_i / \partial z_{ij} = e^{z_{ij}} \f$, in the denominator:
/// \f{align*}{
///   \frac{\partial p_{i y_i}}{\partial z_{i y_i}}
///   &= \frac{e^{z_{i y_i}} S_i - e^{z_{i y_i}} e^{z_{i y_i}}}{S_i^2}
///    = p_{i y_i} \left(1 - p_{i y_i}\right),
///   &\frac{\partial \ell_i}{\partial z_{i y_i}} &= p_{i y_i} - 1.
/// \f}
/// <b>Case \f$ j \neq y_i \f$</b> (any other character): the numerator does not contain
/// \f$ z_{ij} \f$, only the denominator does:
/// \f{align*}{
///   \frac{\partial p_{i y_i}}{\partial z_{ij}}
///   &= -\frac{e^{z_{i y_i}} e^{z_{ij}}}{S_i^2} = -p_{i y_i}\, p_{ij},
///   &\frac{\partial \ell_i}{\partial z_{ij}} &= p_{ij}.
/// \f}
/// Both cases are one formula with the indicator \f$ [j = y_i] \f$ (1 at the target, else 0),
/// and the mean over the batch contributes the factor \f$ 1/n \f$:
/// \f[
///   \boxed{\; \frac{\partial L}{\partial z_{ij}} = \frac{p_{ij} - [j = y_i]}{n} \;}
///   \qquad\text{i.e.}\qquad
///   \texttt{dlogits} = \left(\mathrm{softmax}(\texttt{logits}) - \mathrm{onehot}(Y_b)\right) / n.
/// \f]
/// Read as forces on the logits (the gradient descent step moves against the gradient): the
/// correct logit is pushed up with strength \f$ (1 - p_{i y_i})/n \f$, which vanishes as the model
/// becomes sure of the right answer; every wrong logit is pushed down with strength
/// \f$ p_{ij}/n \f$, in proportion to the probability it wrongly takes.
///
/// @section ch21_rows Every row sums to zero
/// Summing the gradient of one row over its \f$ V \f$ columns gives
/// \f$ \frac{1}{n}\left(\sum_j p_{ij} - 1\right) = 0 \f$: the pull on the target equals the sum
/// of the pushes on the rest. This is the gradient's way of saying that adding one constant to a
/// whole row of logits changes nothing, which is also why chapter 07's `dlogit_maxes` is zero up to
/// rounding.
///
/// @section ch21_stable One stable pass
/// \f$ e^{z} \f$ overflows float32 for \f$ z > 88 \f$. Because a softmax ignores a constant
/// added to its row, the step subtracts the row's maximum \f$ m_i \f$ first:
/// \f$ p_{ij} = e^{z_{ij} - m_i} / \sum_k e^{z_{ik} - m_i} \f$, where every exponent is at
/// most 0 and the sum is at least 1. The forward loss comes out of the same pass for free:
/// \f$ \ell_i = \log \sum_k e^{z_{ik} - m_i} - (z_{i y_i} - m_i) \f$. The pass has three
/// sweeps: the row maxima and the shifted logits; the exponentials of the whole (n, V) block at
/// once (vectorised); then each row's sum (their logarithms a vector of rows at a time), its
/// reciprocal, and \f$ (p_{ij} - [j = y_i])/n \f$. Chapter 23 trains the network with this
/// very function.
///
/// This is a different sequence of floating-point operations from chapters 01-08 and from
/// PyTorch's autograd, so the results agree to rounding, not to the bit: the lecture's `cmp`
/// reported `exact: False`, `approximate: True`, maxdiff about 5e-9.
///
/// @section ch21_picture The picture
/// The program writes `dlogits.png`: the (n, V) gradient as a grid of gray blocks, one row per
/// example (32 down) and one column per character (27 across, `.` then `a` to `z`). Zero is mid
/// gray; negative entries are darker and positive ones lighter, on a scale symmetric about zero
/// (black is \f$ -\max|\texttt{dlogits}| \f$). Each row holds one dark block, the target's
/// entry \f$ -(1 - p_{i y_i})/n \f$, and light blocks wherever the model put probability on a
/// wrong character. Because each row sums to zero, the darkness of the target block equals the
/// total lightness of the others: the pull down on the target's entry equals the push up on the
/// rest of its row.
///
/// @section ch21_shapes Shapes
/// logits (n, V) and Yb (n,) -> dlogits (n, V); the loss () comes out of the same pass.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <xsimd/xsimd.hpp>

#include "common/chapter.hpp"

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
/// (The order of a floating-point sum changes its rounding; chapter 21 and the training loop of
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

// [step]
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
T cross_entropy_backward(T* dlogits, const T* logits, const std::int64_t* Yb, std::size_t n,
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
T cross_entropy_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                         const xt::xtensor<std::int64_t, 1>& Yb) {
    dlogits.resize(logits.shape());  // (n, V)
    return cross_entropy_backward(dlogits.data(), logits.data(), Yb.data(), logits.shape(0),
                                  logits.shape(1));
}
// [step]

/// Chapter 21: cross-entropy in one step. Its backward runs the fused step alone: it replaces
/// chapters 01 to 08 and leaves their intermediates' gradients empty.
template <>
struct Chapter<21> {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {"the whole cross-entropy at once: dlogits = (softmax(logits) - onehot(Yb)) / n",
                "dlogits directly from logits and the targets, without the intermediates of "
                "chapters 01 to 08. Derive it on paper first: the loss of one row, as a function "
                "of the V logits of that row, and its derivative with respect to each of them.",
                "loss = F.cross_entropy(logits, Yb)",
                "logits (n, V) -> loss ()",
                {"logits"},
                {"logits"},
                {"logits"}};
    }
    /// The fused step only: the backward pass is this chapter's step.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        step(g, f, p, b);
    }
    /// This chapter's step alone: fills `dlogits` from the logits and the targets.
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch& b) {
        cross_entropy_backward(g.dlogits, f.logits, b.Yb);
    }
};

}  // namespace ninja
