/// @file
/// @brief Chapter 12: the derivation, and the code of the step.
///
/// @section ch12_forward The forward line
/// @code
/// bnraw = bndiff * bnvar_inv
/// @endcode
///
/// @section ch12_derivation The derivation
/// This chapter takes the derivative with respect to `bnvar_inv`, the inverse standard
/// deviation of each hidden unit over the batch (one number per column). Elementwise:
/// \f[
///   \mathrm{bnraw}_{ij} = \mathrm{bndiff}_{ij}\, \mathrm{bnvar\_inv}_{1j}.
/// \f]
/// `bnvar_inv` is a single row that the forward pass broadcasts over the \f$ n \f$ rows of the
/// batch: the element \f$ \mathrm{bnvar\_inv}_{1j} \f$ scales all of column \f$ j \f$, so it
/// appears in the \f$ n \f$ elements \f$ \mathrm{bnraw}_{1j}, \dots, \mathrm{bnraw}_{nj} \f$,
/// with local partial \f$ \partial\, \mathrm{bnraw}_{ij} / \partial\, \mathrm{bnvar\_inv}_{1j}
/// = \mathrm{bndiff}_{ij} \f$ in row \f$ i \f$. The broadcast becomes a sum over the batch axis:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnvar\_inv}_{1j}}
///   = \sum_{i=1}^{n} \mathrm{bndiff}_{ij}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}}}_{\text{chapter 11}}.
/// \f]
///
/// The same line also depends on `bndiff`, with local partial
/// \f$ \partial\, \mathrm{bnraw}_{ij} / \partial\, \mathrm{bndiff}_{ij}
///     = \mathrm{bnvar\_inv}_{1j} \f$.
/// That is only part of `bndiff`'s gradient: `bndiff` is used a second time, in
/// `bndiff2 = bndiff**2`, whose gradient needs chapters 13 and 14 first. Chapter 15 adds the two
/// contributions; this chapter produces only `dbnvar_inv`.
///
/// A check: multiplying by \f$ \mathrm{bnvar\_inv}_{1j} \f$ turns each term into
/// \f$ \mathrm{bnraw}_{ij}\, \partial L / \partial\, \mathrm{bnraw}_{ij} \f$, and by chapter 11
/// the sum of those over \f$ i \f$ is \f$ \mathrm{bngain}_{1j}\, \partial L / \partial\,
/// \mathrm{bngain}_{1j} \f$. So
/// \f[
///   \mathrm{bnvar\_inv}_{1j} \frac{\partial L}{\partial\, \mathrm{bnvar\_inv}_{1j}}
///   = \mathrm{bngain}_{1j} \frac{\partial L}{\partial\, \mathrm{bngain}_{1j}}:
/// \f]
/// both parameters scale column \f$ j \f$ of `hpreact` (without its bias), so stretching either
/// one by the same small factor changes the loss by the same amount. The test checks it.
///
/// @section ch12_shapes Shapes
/// `dbnvar_inv` is (1, H), like `bnvar_inv`: the product `bndiff * dbnraw` is (n, H), and its sum
/// over the n rows keeps the summed axis (`keepdim=True`).
#pragma once

#include "11_batchnorm_scale/batchnorm_scale.hpp"

namespace ninja {

/// dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True): bnvar_inv was broadcast over the batch.
/// @param[out] dbnvar_inv (1, H)
/// @param dbnraw          (n, H)
/// @param bndiff          (n, H)
// [step]
template <class T>
void bnvar_inv_backward(xt::xtensor<T, 2>& dbnvar_inv, const xt::xtensor<T, 2>& dbnraw,
                        const xt::xtensor<T, 2>& bndiff) {
    dbnvar_inv = xt::sum(bndiff * dbnraw, {0}, xt::keep_dims);  // (1, H)
}
// [step]

/// Chapter 12: backprop through the normalisation to bnvar_inv.
template <>
inline constexpr ChapterFacts chapter<12> = {
    "backprop through the normalisation to bnvar_inv",
    "dbnvar_inv, the gradient of the (1, H) factor of the normalisation.",
    "bnraw = bndiff * bnvar_inv", "bndiff (n, H) * bnvar_inv (1, H) -> bnraw (n, H)",
    "bnvar_inv_backward(dbnvar_inv, dbnraw, bndiff)"};

}  // namespace ninja
