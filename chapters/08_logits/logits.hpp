/// @file
/// @brief Chapter 08: the derivation, and the code of the step.
///
/// @section ch08_forward The forward line
/// `logits` appears in two lines of the forward pass:
/// @code
/// logit_maxes = logits.max(1, keepdim=True).values  # logits (n, V) -> logit_maxes (n, 1)
/// norm_logits = logits - logit_maxes                # logits (n, V) - logit_maxes (n, 1) -> (n, V)
/// @endcode
/// In symbols, with \f$ m_i \f$ the column where row \f$ i \f$ reaches its maximum:
/// \f[
///   \mathrm{logit\_maxes}_i = \max_{l} \mathrm{logits}_{il} = \mathrm{logits}_{i m_i}, \qquad
///   \mathrm{norm\_logits}_{ij} = \mathrm{logits}_{ij} - \mathrm{logit\_maxes}_i .
/// \f]
///
/// @section ch08_derivation The derivation
/// An element \f$ \mathrm{logits}_{ij} \f$ reaches the loss along two routes, and, as for
/// `counts` in chapter 05, the two contributions add.
///
/// **Route 1, direct** (with `logit_maxes` held fixed). \f$ \mathrm{logits}_{ij} \f$ appears,
/// with coefficient one, only in \f$ \mathrm{norm\_logits}_{ij} \f$:
/// \f[
///   \frac{\partial\, \mathrm{norm\_logits}_{kl}}{\partial\, \mathrm{logits}_{ij}} =
///   \begin{cases} 1 & \text{if } (k, l) = (i, j), \\ 0 & \text{otherwise,} \end{cases}
///   \qquad\text{so the contribution is}\qquad
///   \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}} .
/// \f]
///
/// **Route 2, through the maximum**. The maximum is a *selection*: it equals the winning element
/// \f$ \mathrm{logits}_{i m_i} \f$. Nudge the winner by a small \f$ \varepsilon \f$ and the
/// maximum moves by \f$ \varepsilon \f$; nudge any other element of the row, strictly smaller,
/// by less than the gap and the maximum does not move. So the local derivative is the one-hot
/// vector of the argmax:
/// \f[
///   \frac{\partial\, \mathrm{logit\_maxes}_k}{\partial\, \mathrm{logits}_{ij}} =
///   \begin{cases} 1 & \text{if } k = i \text{ and } j = m_i, \\ 0 & \text{otherwise,} \end{cases}
///   \qquad\text{so the contribution is}\qquad
///   \delta_{j m_i} \cdot \frac{\partial L}{\partial\, \mathrm{logit\_maxes}_i} ,
/// \f]
/// with \f$ \delta_{j m_i} \f$ equal to 1 when \f$ j = m_i \f$ and 0 otherwise. When two
/// columns tie for the maximum, the maximum has no derivative (it has a kink there), and a
/// convention is needed: `max(1)` returns the index of the *first* maximal column and its
/// backward pass sends the whole gradient there. The code does the same (`std::max_element`
/// returns the first maximum). (PyTorch's `amax` instead splits the gradient evenly among the
/// tied columns; the lecture uses `max`.)
///
/// **Both together**:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{logits}_{ij}} =
///   \underbrace{\frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}}_{
///     \text{direct (chapter 06)}}
///   + \underbrace{\delta_{j m_i} \cdot
///     \frac{\partial L}{\partial\, \mathrm{logit\_maxes}_i}}_{
///     \text{through the max (chapter 07)}} .
/// \f]
/// In code: `dnorm_logits`, plus `dlogit_maxes` added at one position per row, the argmax.
///
/// What it comes to. Chapter 07 showed that the second term is zero (up to rounding noise), and
/// chapter 06 gave the first, so
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{logits}_{ij}}
///   = \frac{\mathrm{softmax}(\mathrm{logits})_{ij} - \delta_{j y_i}}{n} ,
/// \f]
/// with the softmax taken row by row (it is `probs`). This is the lecture's Exercise 2 in one
/// line: take the probabilities, subtract 1 at each row's target, divide by n.
///
/// Each row of `dlogits` sums to zero, for a reason that does not even depend on chapter 06:
/// adding the same number to every logit of a row moves its maximum by that number too, so
/// `norm_logits` does not change at all, and neither does the loss. The derivative in that
/// direction must vanish, and the two routes show how it does:
/// \f{align*}{
///   \sum_{j=1}^{V} \frac{\partial L}{\partial\, \mathrm{logits}_{ij}}
///   &= \sum_{j=1}^{V} \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}
///     + \frac{\partial L}{\partial\, \mathrm{logit\_maxes}_i}
///   \\ &= \sum_{j=1}^{V} \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}
///     - \sum_{j=1}^{V} \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}} = 0 .
/// \f}
/// Seen as forces on the logits, each row pulls the right character up by
/// \f$ (1 - \mathrm{probs}_{i y_i}) / n \f$ and pushes every wrong one down by its probability
/// over n; the pull and the pushes balance exactly.
///
/// @section ch08_shapes Shapes
/// `dlogits` is (n, V), like `logits`. Route 1 is the (n, V) tensor `dnorm_logits` as it is.
/// Route 2 places each row's single number from the (n, 1) column `dlogit_maxes` at one column
/// of that row: the (n, V) one-hot matrix of the argmaxes times `dlogit_maxes` broadcast over
/// the columns.
#pragma once

#include "07_logit_maxes/logit_maxes.hpp"

namespace ninja {

/// dlogits = dnorm_logits + one_hot(argmax of each row) * dlogit_maxes: the direct path, plus
/// the path through the maximum, which only the winning column of each row takes (the first
/// one when several tie, as in PyTorch's `max`).
/// @param[out] dlogits  (n, V)
/// @param dnorm_logits  (n, V)
/// @param dlogit_maxes  (n, 1)
/// @param logits        (n, V)
// [step]
template <class T>
void logits_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& dnorm_logits,
                     const xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& logits) {
    dlogits = dnorm_logits;  // (n, V) direct path
    for (std::size_t i = 0; i < logits.shape(0); ++i) {
        const auto row = xt::view(logits, i, xt::all());                      // (V,)
        const auto winner = std::max_element(row.begin(), row.end());         // the first maximum
        dlogits(i, std::size_t(winner - row.begin())) += dlogit_maxes(i, 0);  // through logit_maxes
    }
}
// [step]

/// Chapter 08: logits is used twice: directly and through the row maximum.
template <>
inline constexpr ChapterFacts chapter<8> = {
    "logits is used twice: directly and through the row maximum",
    "dlogits: logits reaches the loss directly (through norm_logits) and through the row maxima "
    "(logit_maxes).",
    "logit_maxes = logits.max(1, keepdim=True).values; norm_logits = logits - logit_maxes",
    "logits (n, V) -> logit_maxes (n, 1) and norm_logits (n, V)",
    "logits_backward(dlogits, dnorm_logits, dlogit_maxes, logits)",
    "dlogits rows"};

}  // namespace ninja
