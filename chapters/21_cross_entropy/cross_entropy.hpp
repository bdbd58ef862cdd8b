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
///   \mathrm{dlogits} = \left(\mathrm{softmax}(\mathrm{logits}) - \mathrm{onehot}(Y_b)\right) / n.
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
/// @section ch21_code In code
/// The lecture's three lines are the code below, with a row-wise softmax written out: the row's
/// maximum is subtracted before the exponential, which changes nothing (a softmax ignores a
/// constant added to its row) but keeps \f$ e^{z} \f$ from overflowing float32 for
/// \f$ z > 88 \f$: every exponent is then at most 0 and every sum at least 1.
///
/// This is a different sequence of floating-point operations from chapters 01-08 and from
/// PyTorch's autograd, so the results agree to rounding, not to the bit: the lecture's `cmp`
/// reported `exact: False`, `approximate: True`, maxdiff about 5e-9.
///
/// @section ch21_picture Reading the picture
/// The program draws `dlogits` with `--out DIR`: one row per example (32 down), one column per
/// character (27 across, `.` then `a` to `z`), white at zero, blue for negative entries and red
/// for positive ones, beside the same gradient from chapters 01-08. Each row holds one blue
/// cell, the target's entry \f$ -(1 - p_{i y_i})/n \f$, and red cells wherever the model put
/// probability on a wrong character. A gradient descent step moves every logit against its
/// gradient: up for the blue target, down for the red rest. Because each row sums to zero, the
/// target's entry weighs as much as all the others together.
///
/// @section ch21_shapes Shapes
/// logits (n, V) and Yb (n,) -> dlogits (n, V).
#pragma once

#include <cstdint>

#include "common/chapter.hpp"

namespace ninja {

/// `F.softmax(logits, 1)`: each row's exponentials over their sum, the row's maximum
/// subtracted first (see the file comment).
/// @param logits (n, V)
/// @return       (n, V) every row sums to 1
template <class T>
xt::xtensor<T, 2> softmax(const xt::xtensor<T, 2>& logits) {
    const xt::xtensor<T, 2> maxes = xt::amax(logits, {1}, xt::keep_dims);  // (n, 1)
    const xt::xtensor<T, 2> counts = xt::exp(logits - maxes);              // (n, V)
    const xt::xtensor<T, 2> sums = xt::sum(counts, {1}, xt::keep_dims);    // (n, 1)
    return counts / sums;
}

// [step]
/// dlogits = (softmax(logits) - onehot(Yb)) / n: the whole cross-entropy in one step.
/// @param[out] dlogits (n, V)
/// @param logits       (n, V)
/// @param Yb           (n,) the target of each row
template <class T>
void cross_entropy_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                            const xt::xtensor<std::int64_t, 1>& Yb) {
    const std::size_t n = logits.shape(0);
    dlogits = softmax(logits);  // F.softmax(logits, 1)
    for (std::size_t i = 0; i < n; ++i)
        dlogits(i, std::size_t(Yb(i))) -= T(1);  // [range(n), Yb] -= 1
    dlogits /= T(n);                             // /= n
}
// [step]

/// Chapter 21: cross-entropy in one step. Its backward runs the fused step alone: it replaces
/// chapters 01 to 08 and leaves their intermediates' gradients empty.
template <>
inline constexpr ChapterFacts chapter<21> = {
    "the whole cross-entropy at once: dlogits from logits in one expression",
    "dlogits directly from logits and the targets, without the intermediates of chapters 01 to "
    "08. Derive it on paper first: the loss of one row, as a function of the V logits of that "
    "row, and its derivative with respect to each of them.",
    "loss = F.cross_entropy(logits, Yb)",
    "logits (n, V) -> loss ()",
    "cross_entropy_backward(dlogits, logits, Yb)",
    "dlogits rows"};

}  // namespace ninja
