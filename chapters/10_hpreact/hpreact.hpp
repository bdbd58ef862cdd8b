/// @file
/// @brief Chapter 10: the derivation, and the code of the step.
///
/// @section ch10_forward The forward line
/// @code
/// h = torch.tanh(hpreact)
/// @endcode
///
/// @section ch10_derivation The derivation
/// The nonlinearity acts on each element alone:
/// \f$ h_{ij} = \tanh(\mathrm{hpreact}_{ij}) \f$. The element \f$ \mathrm{hpreact}_{ij} \f$
/// reaches the loss only through \f$ h_{ij} \f$, so the chain rule has one term.
///
/// The derivative of tanh follows from \f$ \tanh x = \sinh x / \cosh x \f$ and the quotient
/// rule, with \f$ \sinh' = \cosh \f$, \f$ \cosh' = \sinh \f$:
/// \f[
///   \frac{d}{dx} \tanh x = \frac{\cosh^2 x - \sinh^2 x}{\cosh^2 x} = 1 - \tanh^2 x .
/// \f]
/// The derivative is a function of the output \f$ \tanh x \f$ alone. The forward pass has
/// already saved that output as `h`, so the backward pass needs neither `hpreact` nor a second
/// call to tanh:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{hpreact}_{ij}}
///   = \underbrace{\frac{\partial L}{\partial h_{ij}}}_{\text{chapter 09}}
///     \cdot \underbrace{\bigl(1 - h_{ij}^2\bigr)}_{\text{local: } \tanh' = 1 - \tanh^2}.
/// \f]
/// Note that the local factor uses \f$ h_{ij} \f$, the *output*: writing
/// \f$ 1 - \mathrm{hpreact}_{ij}^2 \f$ would be the derivative evaluated at the wrong point.
///
/// The factor \f$ 1 - h_{ij}^2 \f$ lies in \f$ (0, 1] \f$: the gradient keeps its sign and can
/// only shrink on its way through tanh. It is 1 where \f$ h_{ij} = 0 \f$ (tanh passes the
/// gradient unchanged) and close to 0 where the unit is saturated, \f$ |h_{ij}| \to 1 \f$: such
/// a unit passes almost no gradient back to `hpreact`, and so to the layers before it, whatever
/// `dh` is. A hidden unit saturated on every example of the batch learns nothing from it.
///
/// @section ch10_shapes Shapes
/// `dhpreact` is (n, H), like `hpreact`, `h` and `dh`. The product is elementwise; nothing is
/// broadcast and nothing is summed.
#pragma once

#include "09_second_linear/second_linear.hpp"

namespace ninja {

/// dhpreact = (1 - h^2) * dh: tanh' = 1 - tanh^2, written with the output h the forward pass kept.
/// @param[out] dhpreact (n, H)
/// @param dh            (n, H)
/// @param h             (n, H)
// [step]
template <class T>
void hpreact_backward(xt::xtensor<T, 2>& dhpreact, const xt::xtensor<T, 2>& dh,
                      const xt::xtensor<T, 2>& h) {
    dhpreact = (T(1) - h * h) * dh;  // (n, H)
}
// [step]

/// Chapter 10: backprop through tanh to hpreact.
template <>
inline constexpr ChapterFacts chapter<10> = {
    "backprop through tanh to hpreact", "dhpreact, through tanh.", "h = torch.tanh(hpreact)",
    "hpreact (n, H) -> h (n, H)", "hpreact_backward(dhpreact, dh, h)"};

}  // namespace ninja
