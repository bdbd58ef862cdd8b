/// @file
/// @brief Chapter 13: the derivation, and the code of the step.
///
/// @section ch13_forward The forward line
/// @code
/// bnvar_inv = (bnvar + 1e-5)**-0.5
/// @endcode
///
/// @section ch13_derivation The derivation
/// An elementwise function on one row of \f$ H \f$ numbers, with
/// \f$ \varepsilon = 10^{-5} \f$:
/// \f[
///   \mathrm{bnvar\_inv}_{1j} = \left(\mathrm{bnvar}_{1j} + \varepsilon\right)^{-1/2}.
/// \f]
/// Each element of `bnvar` reaches the loss only through the element of `bnvar_inv` at the same
/// position, so the chain rule has one term. The power rule,
/// \f$ \frac{d}{dx} (x + \varepsilon)^{-1/2} = -\frac{1}{2} (x + \varepsilon)^{-3/2} \f$, gives
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bnvar}_{1j}}
///   = \underbrace{\frac{\partial L}{\partial\, \mathrm{bnvar\_inv}_{1j}}}_{\text{chapter 12}}
///     \cdot \underbrace{\left(-\tfrac{1}{2}\right)
///       \left(\mathrm{bnvar}_{1j} + \varepsilon\right)^{-3/2}}_{\text{local}} .
/// \f]
/// Since \f$ (\mathrm{bnvar}_{1j} + \varepsilon)^{-3/2} = \mathrm{bnvar\_inv}_{1j}^{\,3} \f$, the
/// local factor can also be written with the saved output, as for tanh in chapter 10:
/// \f$ -\frac{1}{2}\, \mathrm{bnvar\_inv}_{1j}^{\,3} \f$. The code evaluates the first form; the
/// test checks that it agrees with the second.
///
/// The local factor is negative: a larger variance gives a smaller inverse standard deviation,
/// so `dbnvar` has, element by element, the sign opposite to `dbnvar_inv`. The
/// \f$ \varepsilon \f$ keeps the factor finite when a hidden unit happens to have the same value
/// on every example of the batch (variance 0): it is then \f$ -\frac{1}{2} \varepsilon^{-3/2} \f$,
/// large but not infinite.
///
/// @section ch13_shapes Shapes
/// `dbnvar` is (1, H), like `bnvar`, `bnvar_inv` and `dbnvar_inv`. Nothing is broadcast and
/// nothing is summed.
#pragma once

#include "12_bnvar_inv/bnvar_inv.hpp"

namespace ninja {

/// dbnvar = -0.5 * (bnvar + eps)^-1.5 * dbnvar_inv, elementwise.
/// @param[out] dbnvar (1, H)
/// @param dbnvar_inv  (1, H)
/// @param bnvar       (1, H)
// [step]
template <class T>
void bnvar_backward(xt::xtensor<T, 2>& dbnvar, const xt::xtensor<T, 2>& dbnvar_inv,
                    const xt::xtensor<T, 2>& bnvar) {
    dbnvar = T(-0.5) * xt::pow(bnvar + T(bn_eps), T(-1.5)) * dbnvar_inv;  // (1, H)
}
// [step]

/// Chapter 13: backprop through the inverse square root to bnvar.
template <>
inline constexpr ChapterFacts chapter<13> = {
    "backprop through the inverse square root to bnvar",
    "dbnvar, through the inverse square root of the variance plus epsilon.",
    "bnvar_inv = (bnvar + 1e-5)**-0.5", "bnvar (1, H) -> bnvar_inv (1, H)",
    "bnvar_backward(dbnvar, dbnvar_inv, bnvar)"};

}  // namespace ninja
