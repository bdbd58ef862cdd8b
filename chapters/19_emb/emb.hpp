/// @file
/// @brief Chapter 19: the derivation, and the code of the step.
///
/// @section ch19_forward The forward line
/// @code
/// embcat = emb.view(emb.shape[0], -1)
/// @endcode
///
/// Each example's \f$ B \f$ embeddings of \f$ E \f$ numbers are laid side by side in one row
/// of \f$ B E \f$ numbers: the embedding of context position \f$ k \f$ fills columns
/// \f$ (k-1)E + 1 \f$ to \f$ kE \f$. With indices counted from 1,
/// \f[
///   \mathrm{embcat}_{i,\,(k-1)E + e} = \mathrm{emb}_{ike},
///   \qquad 1 \le i \le n,\; 1 \le k \le B,\; 1 \le e \le E.
/// \f]
/// `view` computes nothing: it reads the same numbers, in the same row-major order in memory,
/// with another shape.
///
/// @section ch19_derivation The derivation
/// **The local partials.** The formula above pairs every element of `emb` with exactly one
/// element of `embcat`, and every element of `embcat` with exactly one of `emb`. So
/// \f[
///   \frac{\partial\, \mathrm{embcat}_{lm}}{\partial\, \mathrm{emb}_{ike}}
///   = \begin{cases} 1 & \text{if } l = i \text{ and } m = (k-1)E + e, \\[4pt]
///                   0 & \text{otherwise.} \end{cases}
/// \f]
///
/// **The gradient.** The chain rule's sum over all elements \f$ (l, m) \f$ of `embcat` keeps a
/// single term:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{emb}_{ike}}
///   = \sum_{l=1}^{n} \sum_{m=1}^{BE}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{embcat}_{lm}}}_{\text{chapter 18}}
///     \frac{\partial\, \mathrm{embcat}_{lm}}{\partial\, \mathrm{emb}_{ike}}
///   = \frac{\partial L}{\partial\, \mathrm{embcat}_{i,\,(k-1)E + e}} .
/// \f]
/// Nothing is added and nothing is scaled: `demb` holds exactly the numbers of `dembcat`, read
/// back with the shape of `emb` by the inverse of the forward view,
/// `demb = dembcat.view(n, B, E)`. Element by element, the gradient of a reshape is the
/// reshape of the gradient. The test checks that the two tensors are the same numbers in the
/// same order, bit for bit.
///
/// @section ch19_shapes Shapes
/// `demb` is (n, B, E), like `emb`; both tensors have \f$ n \cdot B \cdot E \f$ elements
/// (960 in the lecture). Having the right number of elements is not enough: the numbers must
/// go back to the places they came from. Reading `dembcat` as (n, E, B), or transposing the
/// last two axes, gives a tensor of the same size that pairs each gradient with the wrong
/// embedding number. The view back with the same row-major order is the only correct inverse.
#pragma once

#include "18_first_linear/first_linear.hpp"

namespace ninja {

/// demb = dembcat.view(emb.shape): a view moves no numbers, so its gradient is the same numbers
/// seen with the other shape.
/// @param[out] demb (n, B, E)
/// @param dembcat   (n, B*E)
/// @param emb       (n, B, E) only its shape is used
// [step]
template <class T>
void emb_backward(xt::xtensor<T, 3>& demb, const xt::xtensor<T, 2>& dembcat,
                  const xt::xtensor<T, 3>& emb) {
    demb = xt::reshape_view(dembcat, emb.shape());  // (n, B, E)
}
// [step]

/// Chapter 19: backprop through the concatenation (a view) to emb.
template <>
inline constexpr ChapterFacts chapter<19> = {
    "backprop through the concatenation (a view) to emb",
    "demb, through the view that flattened the B embeddings of each example into one row.",
    "embcat = emb.view(emb.shape[0], -1)", "emb (n, B, E) -> embcat (n, B*E)",
    "emb_backward(demb, dembcat, emb)"};

}  // namespace ninja
