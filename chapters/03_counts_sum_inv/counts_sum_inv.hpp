/// @file
/// @brief Chapter 03: the derivation, and the code of the step.
///
/// @section ch03_forward The forward line
/// @code
/// probs = counts * counts_sum_inv    # counts (n, V) * counts_sum_inv (n, 1) -> probs (n, V)
/// @endcode
/// The two factors do not have the same shape. `counts_sum_inv` holds one number per row, and
/// PyTorch broadcasts it: it is reused for each of the V columns of its row. In symbols, for
/// \f$ i = 1, \dots, n \f$ and \f$ j = 1, \dots, V \f$, and writing
/// \f$ \mathrm{counts\_sum\_inv}_i \f$ for the single entry of row \f$ i \f$:
/// \f[ \mathrm{probs}_{ij} = \mathrm{counts}_{ij} \cdot \mathrm{counts\_sum\_inv}_i. \f]
/// This chapter differentiates with respect to the second factor; the first one, `counts`,
/// comes in chapter 05.
///
/// @section ch03_derivation The derivation
/// One number \f$ \mathrm{counts\_sum\_inv}_i \f$ enters V elements of `probs`: the whole of
/// row \f$ i \f$, and nothing in the other rows. Its local derivatives are
/// \f[
///   \frac{\partial\, \mathrm{probs}_{kj}}{\partial\, \mathrm{counts\_sum\_inv}_i} =
///   \begin{cases} \mathrm{counts}_{ij} & \text{if } k = i, \\ 0 & \text{if } k \neq i. \end{cases}
/// \f]
/// The chain rule adds up every path from a variable to the loss, here one path through each
/// element of `probs`:
/// \f{align*}{
///   \frac{\partial L}{\partial\, \mathrm{counts\_sum\_inv}_i}
///   &= \sum_{k=1}^{n} \sum_{j=1}^{V}
///      \frac{\partial L}{\partial\, \mathrm{probs}_{kj}}
///      \frac{\partial\, \mathrm{probs}_{kj}}{\partial\, \mathrm{counts\_sum\_inv}_i}
///   \\ &= \sum_{j=1}^{V}
///      \underbrace{\frac{\partial L}{\partial\, \mathrm{probs}_{ij}}}_{\text{chapter 02}}
///      \cdot \underbrace{\mathrm{counts}_{ij}}_{\text{local}}.
/// \f}
/// This is the general rule for a broadcast: a value copied along an axis in the forward pass
/// receives, in the backward pass, the *sum* of the gradients of all its copies along that axis.
/// Here the copies run along the columns, so the gradient is a sum over the columns,
/// `(counts * dprobs).sum(1, keepdim=True)`.
///
/// What the sum comes to: by chapter 02, only the target column \f$ y_i \f$ of
/// `dprobs` is nonzero, where it equals \f$ -1/(n\, \mathrm{probs}_{i y_i}) \f$, and
/// \f$ \mathrm{probs}_{i y_i} = \mathrm{counts}_{i y_i} / \mathrm{counts\_sum}_i \f$. The
/// sum keeps a single term:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{counts\_sum\_inv}_i}
///   = \mathrm{counts}_{i y_i} \cdot \frac{-\mathrm{counts\_sum}_i}{n\, \mathrm{counts}_{i y_i}}
///   = -\frac{\mathrm{counts\_sum}_i}{n}.
/// \f]
/// It is negative: a larger \f$ \mathrm{counts\_sum\_inv}_i \f$ would scale up every
/// probability of row \f$ i \f$, the target's included, and lower the loss. (It cannot really
/// grow on its own, since it is tied to `counts`; chapter 05 accounts for that.)
///
/// @section ch03_shapes Shapes
/// `dcounts_sum_inv` is (n, 1), like `counts_sum_inv`: the product `counts * dprobs` is (n, V),
/// and the sum over axis 1 with `keepdim=True` brings it back to one column. Without `keepdim`
/// the sum would be (n,). In PyTorch, broadcasting lines a 1-D tensor up with the *last* axis,
/// the columns, so against an (n, V) tensor it raises an error, or, when n happens to equal V,
/// silently mixes up rows and columns. In C++ the result cannot even be stored: an (n,)
/// expression assigned to the 2-D `dcounts_sum_inv` is an error that an unchecked xtensor build
/// does not detect: the program crashes (a segmentation fault) or fails in stranger ways. The
/// exercise build checks every shape and index, so there the verdict names the error and the
/// shapes instead.
#pragma once

#include "02_probs/probs.hpp"

namespace ninja {

/// dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True): the broadcast over the V columns
/// of each row becomes a sum over them.
/// @param[out] dcounts_sum_inv (n, 1)
/// @param dprobs               (n, V)
/// @param counts               (n, V)
// [step]
template <class T>
void counts_sum_inv_backward(xt::xtensor<T, 2>& dcounts_sum_inv, const xt::xtensor<T, 2>& dprobs,
                             const xt::xtensor<T, 2>& counts) {
    dcounts_sum_inv = xt::sum(counts * dprobs, {1}, xt::keep_dims);  // (n, 1)
}
// [step]

/// Chapter 03: backprop through the normalisation to counts_sum_inv.
template <>
inline constexpr ChapterFacts chapter<3> = {
    "backprop through the normalisation to counts_sum_inv",
    "dcounts_sum_inv, the gradient of the (n, 1) factor of the product, from dprobs (n, V).",
    "probs = counts * counts_sum_inv", "counts (n, V) * counts_sum_inv (n, 1) -> probs (n, V)",
    "counts_sum_inv_backward(dcounts_sum_inv, dprobs, counts)"};

}  // namespace ninja
