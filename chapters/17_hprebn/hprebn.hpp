/// @file
/// @brief Chapter 17: the derivation, and the code of the step.
///
/// @section ch17_forward The forward line
/// @code
/// bnmeani = 1/n * hprebn.sum(0, keepdim=True); bndiff = hprebn - bnmeani
/// @endcode
///
/// The pre-activations are read twice: once to average each column over the batch, and once
/// to subtract that average from every element:
/// \f[
///   \mathrm{bnmeani}_{1j} = \frac{1}{n} \sum_{k=1}^{n} \mathrm{hprebn}_{kj},
///   \qquad
///   \mathrm{bndiff}_{ij} = \mathrm{hprebn}_{ij} - \mathrm{bnmeani}_{1j}.
/// \f]
///
/// @section ch17_derivation The derivation
/// **Two paths to the loss.** The element \f$ \mathrm{hprebn}_{ij} \f$ goes directly into
/// \f$ \mathrm{bndiff}_{ij} \f$, and it goes into the mean \f$ \mathrm{bnmeani}_{1j} \f$ of its
/// column, which is then subtracted from all \f$ n \f$ rows. The chain rule adds one term per
/// use.
///
/// **The local partials.** In the subtraction `bnmeani` is an input of its own and is held
/// fixed; its dependence on `hprebn` is the second use. The element
/// \f$ \mathrm{hprebn}_{ij} \f$ appears in one element of `bndiff`, at the same position, with
/// partial 1, and in one term of the sum of column \f$ j \f$, with coefficient \f$ 1/n \f$:
/// \f[
///   \frac{\partial\, \mathrm{bndiff}_{ij}}{\partial\, \mathrm{hprebn}_{ij}} = 1,
///   \qquad
///   \frac{\partial\, \mathrm{bnmeani}_{1j}}{\partial\, \mathrm{hprebn}_{ij}} = \frac{1}{n},
/// \f]
/// and every other element of `bndiff` and of `bnmeani` has partial 0 with respect to it.
///
/// **The sum of the two contributions.**
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{hprebn}_{ij}}
///   = \underbrace{
///       \underbrace{\frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}}}_{\text{chapter 15}}
///       \cdot 1}_{\text{direct}}
///   \; + \;
///     \underbrace{
///       \underbrace{\frac{\partial L}{\partial\, \mathrm{bnmeani}_{1j}}}_{\text{chapter 16}}
///       \cdot \frac{1}{n}}_{\text{through the mean}} .
/// \f]
/// The second term does not depend on \f$ i \f$. A sum in the forward pass becomes a broadcast
/// in the backward pass: the mean gave each example the same weight \f$ 1/n \f$, so the mean's
/// gradient is handed back in equal shares to all \f$ n \f$ rows.
///
/// **What the result says.** By chapter 16 the mean's gradient is minus the column sum of
/// `dbndiff`, so
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{hprebn}_{ij}}
///   = \frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}}
///     - \frac{1}{n} \sum_{k=1}^{n} \frac{\partial L}{\partial\, \mathrm{bndiff}_{kj}} :
/// \f]
/// the gradient of the direct path with its column mean removed. Every column of `dhprebn`
/// therefore sums to zero,
/// \f[
///   \sum_{i=1}^{n} \frac{\partial L}{\partial\, \mathrm{hprebn}_{ij}} = 0
///   \qquad \text{for every } j,
/// \f]
/// as it must be. The column sum is the derivative of the loss along one direction: adding the
/// same small constant to every element of column \f$ j \f$ of `hprebn`. That raises the mean
/// by the same constant and leaves `bndiff`, and everything after it, unchanged, so the loss
/// does not change at all: batchnorm is blind to a shift of its input. Without the path
/// through the mean the column sums would be \f$ -\partial L / \partial\, \mathrm{bnmeani}_{1j} \f$
/// instead of 0. The test checks the zero sums, and that shifting a column of `hprebn` by a
/// constant really leaves the loss unchanged.
///
/// @section ch17_shapes Shapes
/// `dhprebn` is (n, H), like `hprebn`: `dbndiff` is (n, H), and the (1, H) row `dbnmeani / n` is
/// broadcast over its n rows. The values of `hprebn` do not enter; only its shape (the n of the
/// mean) does.
#pragma once

#include "16_bnmeani/bnmeani.hpp"

namespace ninja {

/// dhprebn = dbndiff + 1/n * dbnmeani: the direct path plus the mean's, broadcast back over
/// the n rows it averaged.
/// @param[out] dhprebn (n, H)
/// @param dbndiff      (n, H)
/// @param dbnmeani     (1, H)
/// @param hprebn       (n, H) only its shape is used
// [step]
template <class T>
void hprebn_backward(xt::xtensor<T, 2>& dhprebn, const xt::xtensor<T, 2>& dbndiff,
                     const xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& hprebn) {
    const std::size_t n = hprebn.shape(0);
    dhprebn = dbndiff                           // (n, H) direct path
              + T(1.0 / double(n)) * dbnmeani;  // (1, H) broadcast: through bnmeani
}
// [step]

/// Chapter 17: hprebn is used twice: directly and through the batch mean.
template <>
inline constexpr ChapterFacts chapter<17> = {
    "hprebn is used twice: directly and through the batch mean",
    "dhprebn: hprebn reaches the loss directly (through bndiff) and through its batch mean "
    "(bnmeani).",
    "bnmeani = 1/n * hprebn.sum(0, keepdim=True); bndiff = hprebn - bnmeani",
    "hprebn (n, H) -> bnmeani (1, H) and bndiff (n, H)",
    "hprebn_backward(dhprebn, dbndiff, dbnmeani, hprebn)",
    "dhprebn columns"};

}  // namespace ninja
