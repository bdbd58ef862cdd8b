/// @file
/// @brief Chapter 11: the derivation, and the code of the step.
///
/// @section ch11_forward The forward line
/// @code
/// hpreact = bngain * bnraw + bnbias
/// @endcode
///
/// @section ch11_derivation The derivation
/// The gain multiplies and the bias adds; both are one row of \f$ H \f$ numbers that the
/// forward pass broadcasts over the \f$ n \f$ rows of the batch. Elementwise, for example
/// \f$ i \f$ and hidden unit \f$ j \f$:
/// \f[
///   \mathrm{hpreact}_{ij} = \mathrm{bngain}_{1j}\, \mathrm{bnraw}_{ij} + \mathrm{bnbias}_{1j}.
/// \f]
/// Write \f$ \mathrm{dhpreact}_{ij} = \partial L / \partial\, \mathrm{hpreact}_{ij} \f$
/// (chapter 10). The three local partials are
/// \f[
///   \frac{\partial\, \mathrm{hpreact}_{ij}}{\partial\, \mathrm{bnraw}_{ij}}
///     = \mathrm{bngain}_{1j},
///   \qquad
///   \frac{\partial\, \mathrm{hpreact}_{ij}}{\partial\, \mathrm{bngain}_{1j}}
///     = \mathrm{bnraw}_{ij},
///   \qquad
///   \frac{\partial\, \mathrm{hpreact}_{ij}}{\partial\, \mathrm{bnbias}_{1j}} = 1,
/// \f]
/// and every other partial of \f$ \mathrm{hpreact}_{ij} \f$ with respect to these three tensors
/// is zero: column \f$ j \f$ only ever meets column \f$ j \f$. The gain *multiplies* `bnraw`, so
/// the partial with respect to `bnraw` is the gain (it would be 1 only if the two were added),
/// and the partial with respect to the gain is `bnraw`.
///
/// **With respect to bnraw.** The element \f$ \mathrm{bnraw}_{ij} \f$ appears in one element of
/// `hpreact`, the one at the same position, so there is a single term:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}}
///   = \underbrace{\mathrm{dhpreact}_{ij}}_{\text{chapter 10}} \cdot \mathrm{bngain}_{1j}.
/// \f]
/// In code, `bngain * dhpreact`: the (1, H) gain is broadcast over the rows again, exactly as
/// in the forward pass, and the result is (n, H).
///
/// **With respect to bngain.** The element \f$ \mathrm{bngain}_{1j} \f$ was broadcast: it is
/// used in \f$ \mathrm{hpreact}_{1j}, \dots, \mathrm{hpreact}_{nj} \f$, once per example, with
/// local partial \f$ \mathrm{bnraw}_{ij} \f$ in row \f$ i \f$. The \f$ n \f$ contributions add:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bngain}_{1j}}
///   = \sum_{i=1}^{n} \mathrm{bnraw}_{ij}\, \mathrm{dhpreact}_{ij}.
/// \f]
///
/// **With respect to bnbias.** Broadcast the same way, with local partial 1:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnbias}_{1j}} = \sum_{i=1}^{n} \mathrm{dhpreact}_{ij}.
/// \f]
///
/// The two sums run over the batch axis (axis 0), the axis along which the forward pass copied
/// the parameters, and not over the \f$ H \f$ hidden units: the gradient of the gain of unit
/// \f$ j \f$ collects what the \f$ n \f$ examples say about unit \f$ j \f$ only.
///
/// Two checks follow from these formulas. Multiplying the gradient of \f$ \mathrm{bnraw}_{ij} \f$
/// by \f$ \mathrm{bnraw}_{ij} \f$ itself and summing over \f$ i \f$ gives
/// \f$ \sum_i \mathrm{bnraw}_{ij} \frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}}
///     = \mathrm{bngain}_{1j} \frac{\partial L}{\partial\, \mathrm{bngain}_{1j}} \f$
/// (stretching a column of `bnraw` by a factor does what stretching its gain by that factor
/// does), and since \f$ \mathrm{hpreact} \f$ is linear in the two parameters,
/// \f$ \sum_i \mathrm{hpreact}_{ij}\, \mathrm{dhpreact}_{ij}
///     = \mathrm{bngain}_{1j} \frac{\partial L}{\partial\, \mathrm{bngain}_{1j}}
///     + \mathrm{bnbias}_{1j} \frac{\partial L}{\partial\, \mathrm{bnbias}_{1j}} \f$.
/// The tests verify both.
///
/// @section ch11_shapes Shapes
/// `dbnraw` is (n, H), like `bnraw`. `dbngain` and `dbnbias` are sums over the n rows that keep
/// the summed axis (`keepdim=True`), so they are (1, H), like `bngain` and `bnbias`; without it
/// they would be (H,) and no longer have their parameters' shape.
#pragma once

#include "10_hpreact/hpreact.hpp"

namespace ninja {

/// dbngain = (bnraw * dhpreact).sum(0), dbnbias = dhpreact.sum(0) (both broadcast over the
/// batch, so summed over it, keeping the (1, H) shape), dbnraw = bngain * dhpreact.
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param[out] dbnraw  (n, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
// [step]
template <class T>
void batchnorm_scale_backward(xt::xtensor<T, 2>& dbngain, xt::xtensor<T, 2>& dbnbias,
                              xt::xtensor<T, 2>& dbnraw, const xt::xtensor<T, 2>& dhpreact,
                              const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain) {
    dbngain = xt::sum(bnraw * dhpreact, {0}, xt::keep_dims);  // (1, H)
    dbnbias = xt::sum(dhpreact, {0}, xt::keep_dims);          // (1, H)
    dbnraw = bngain * dhpreact;                               // (n, H)
}
// [step]

/// Chapter 11: backprop through the batchnorm gain and bias to bngain, bnbias and bnraw.
template <>
inline constexpr ChapterFacts chapter<11> = {
    "backprop through the batchnorm gain and bias to bngain, bnbias and bnraw",
    "dbngain, dbnbias and dbnraw, the gradients of the batchnorm's scale, shift and normalised "
    "input.",
    "hpreact = bngain * bnraw + bnbias",
    "bngain (1, H) * bnraw (n, H) + bnbias (1, H) -> hpreact (n, H)",
    "batchnorm_scale_backward(dbngain, dbnbias, dbnraw, dhpreact, bnraw, bngain)"};

}  // namespace ninja
