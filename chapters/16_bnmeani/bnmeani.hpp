/// @file
/// @brief Chapter 16: the derivation, and the code of the step.
///
/// @section ch16_forward The forward line
/// @code
/// bndiff = hprebn - bnmeani
/// @endcode
///
/// The batch mean of each hidden unit is one number per column, and the forward pass
/// broadcasts that row over the \f$ n \f$ rows of the batch to subtract it from every example:
/// \f[
///   \mathrm{bndiff}_{ij} = \mathrm{hprebn}_{ij} - \mathrm{bnmeani}_{1j}.
/// \f]
///
/// @section ch16_derivation The derivation
/// This chapter takes the derivative with respect to `bnmeani`, treating it as an input of the
/// line above like any other; that it was itself computed from `hprebn` matters only in
/// chapter 17, where `hprebn` receives its gradient.
///
/// **The local partials.** The element \f$ \mathrm{bnmeani}_{1j} \f$ is subtracted from every
/// element of column \f$ j \f$, so it appears in the \f$ n \f$ elements
/// \f$ \mathrm{bndiff}_{1j}, \dots, \mathrm{bndiff}_{nj} \f$, each time with partial
/// \f$ -1 \f$, and in no element of another column:
/// \f[
///   \frac{\partial\, \mathrm{bndiff}_{ik}}{\partial\, \mathrm{bnmeani}_{1j}}
///   = \begin{cases} -1 & \text{if } k = j \text{ (whatever the row } i\text{)}, \\[4pt]
///                   0 & \text{otherwise.} \end{cases}
/// \f]
///
/// **The broadcast becomes a sum.** One contribution per row of the batch, \f$ n \f$ of them:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnmeani}_{1j}}
///   = \sum_{i=1}^{n}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}}}_{\text{chapter 15}}
///     \cdot (-1)
///   = -\sum_{i=1}^{n} \frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}} .
/// \f]
/// The sum runs over the axis along which the forward pass copied the mean (the batch axis,
/// axis 0), not over the hidden units: the mean of unit \f$ j \f$ hears only from column
/// \f$ j \f$.
///
/// **What the result says.** Put chapter 15's two terms into the sum. The second one is
/// \f$ 2 \sum_i \mathrm{bndiff}_{ij}\, \partial L / \partial\, \mathrm{bndiff2}_{ij} \f$, and
/// \f$ \partial L / \partial\, \mathrm{bndiff2}_{ij} \f$ is the same in every row (chapter 14),
/// so it comes out of the sum and leaves \f$ \sum_i \mathrm{bndiff}_{ij} \f$, which is zero:
/// the deviations from a mean add up to zero. Moving the mean a little changes the variance
/// only to second order. Only the path through `bnraw` remains, and with
/// \f$ \partial L / \partial\, \mathrm{bnraw}_{ij} = \mathrm{bngain}_{1j}\,
/// \partial L / \partial\, \mathrm{hpreact}_{ij} \f$ and
/// \f$ \sum_i \partial L / \partial\, \mathrm{hpreact}_{ij} = \partial L / \partial\,
/// \mathrm{bnbias}_{1j} \f$ (chapter 11):
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnmeani}_{1j}}
///   = -\,\mathrm{bnvar\_inv}_{1j} \sum_{i=1}^{n} \frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}}
///   = -\,\mathrm{bngain}_{1j}\, \mathrm{bnvar\_inv}_{1j}\,
///     \frac{\partial L}{\partial\, \mathrm{bnbias}_{1j}} .
/// \f]
/// To first order, raising the mean by \f$ \delta \f$ lowers every `hpreact` of column \f$ j \f$ by
/// \f$ \mathrm{bngain}_{1j}\, \mathrm{bnvar\_inv}_{1j}\, \delta \f$, exactly what lowering the
/// bias `bnbias` by that amount would do. The test checks this relation, which the code does
/// not use, as well as the sum itself against gradients computed without the code.
///
/// @section ch16_shapes Shapes
/// `dbnmeani` is (1, H), like `bnmeani`: the (n, H) gradient `dbndiff` summed over its n rows
/// with the summed axis kept (`keepdim=True`). Without `keepdim` the sum would be (H,), which
/// PyTorch would still broadcast in later arithmetic but which is not the shape of `bnmeani`.
#pragma once

#include "15_bndiff/bndiff.hpp"

namespace ninja {

/// dbnmeani = -dbndiff.sum(0, keepdim=True): bnmeani was broadcast over the batch.
/// @param[out] dbnmeani (1, H)
/// @param dbndiff       (n, H)
// [step]
template <class T>
void bnmeani_backward(xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& dbndiff) {
    dbnmeani = -xt::sum(dbndiff, {0}, xt::keep_dims);  // (1, H)
}
// [step]

/// Chapter 16: backprop through the mean subtraction to bnmeani.
template <>
inline constexpr ChapterFacts chapter<16> = {
    "backprop through the mean subtraction to bnmeani",
    "dbnmeani, the gradient of the (1, H) batch mean that was subtracted.",
    "bndiff = hprebn - bnmeani", "hprebn (n, H) - bnmeani (1, H) -> bndiff (n, H)",
    "bnmeani_backward(dbnmeani, dbndiff)"};

}  // namespace ninja
