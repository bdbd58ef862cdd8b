/// @file
/// @brief Chapter 15: the derivation, and the code of the step.
///
/// @section ch15_forward The forward line
/// @code
/// bndiff2 = bndiff**2; bnraw = bndiff * bnvar_inv
/// @endcode
///
/// Two lines of the forward pass read `bndiff`, the deviations of the pre-activations from
/// their batch mean. Elementwise, for example \f$ i \f$ and hidden unit \f$ j \f$:
/// \f[
///   \mathrm{bndiff2}_{ij} = \mathrm{bndiff}_{ij}^{\,2},
///   \qquad
///   \mathrm{bnraw}_{ij} = \mathrm{bndiff}_{ij}\, \mathrm{bnvar\_inv}_{1j}.
/// \f]
///
/// @section ch15_derivation The derivation
/// **Two paths to the loss.** The element \f$ \mathrm{bndiff}_{ij} \f$ reaches the loss in two
/// ways. It is squared into \f$ \mathrm{bndiff2}_{ij} \f$, which goes into the variance of
/// column \f$ j \f$ and from there into the scale \f$ \mathrm{bnvar\_inv}_{1j} \f$ of the whole
/// column; and it is multiplied by that scale into \f$ \mathrm{bnraw}_{ij} \f$. When a variable
/// feeds several others, the multivariable chain rule adds one term per use: each term is the
/// gradient that arrived at the use times the local partial of the use with respect to the
/// variable.
///
/// **The local partials.** Both lines are elementwise in `bndiff`. The element
/// \f$ \mathrm{bndiff}_{ij} \f$ appears in \f$ \mathrm{bndiff2}_{ij} \f$ and in
/// \f$ \mathrm{bnraw}_{ij} \f$ and in no other element of these two tensors:
/// \f[
///   \frac{\partial\, \mathrm{bndiff2}_{ij}}{\partial\, \mathrm{bndiff}_{ij}}
///   = 2\, \mathrm{bndiff}_{ij},
///   \qquad
///   \frac{\partial\, \mathrm{bnraw}_{ij}}{\partial\, \mathrm{bndiff}_{ij}}
///   = \mathrm{bnvar\_inv}_{1j}.
/// \f]
///
/// **The sum of the two contributions.**
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}}
///   = \underbrace{
///       \underbrace{\frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}}}_{\text{chapter 11}}
///       \cdot \mathrm{bnvar\_inv}_{1j}}_{\text{through bnraw}}
///   \; + \;
///     \underbrace{
///       \underbrace{\frac{\partial L}{\partial\, \mathrm{bndiff2}_{ij}}}_{\text{chapter 14}}
///       \cdot 2\, \mathrm{bndiff}_{ij}}_{\text{through bndiff2}} .
/// \f]
/// Neither term alone is the gradient. Each one is what the loss would feel if `bndiff` were
/// changed in one of its two uses and left as it was in the other.
///
/// **Why the first term is not the whole story.** In the line
/// `bnraw = bndiff * bnvar_inv` the factor `bnvar_inv` is an input of its own, held fixed when
/// the local partial is taken, although it was computed from `bndiff`. That dependence is not
/// lost: it is the path bnraw \f$ \to \f$ bnvar_inv (chapter 12) \f$ \to \f$ bnvar (chapter 13)
/// \f$ \to \f$ bndiff2 (chapter 14), and it arrives here as the second term. Including it in
/// the first term as well would count it twice; forgetting the second term would drop it.
/// This is what naming every intermediate buys: each line's partials treat its other inputs
/// as constants, and the chain rule collects the rest.
///
/// **A check: stretching a column changes almost nothing.** Multiply column \f$ j \f$ of
/// `bndiff` by a factor \f$ c \f$. The variance becomes \f$ c^2\, \mathrm{bnvar}_{1j} \f$ and,
/// writing \f$ v = \mathrm{bnvar}_{1j} \f$ and \f$ \varepsilon = 10^{-5} \f$,
/// \f[
///   \mathrm{bnraw}_{ij}(c) = \frac{c\, \mathrm{bndiff}_{ij}}{\sqrt{c^2 v + \varepsilon}},
///   \qquad
///   \frac{d\, \mathrm{bnraw}_{ij}}{dc}\Big|_{c=1}
///   = \frac{\mathrm{bndiff}_{ij}}{\sqrt{v + \varepsilon}}
///     - \frac{\mathrm{bndiff}_{ij}\, v}{(v + \varepsilon)^{3/2}}
///   = \mathrm{bnraw}_{ij}\, \frac{\varepsilon}{v + \varepsilon}:
/// \f]
/// without the \f$ \varepsilon \f$, normalising would undo the stretch exactly. The derivative of
/// the loss along this direction is, on one side, \f$ \sum_i \mathrm{bndiff}_{ij}\,
/// \partial L / \partial\, \mathrm{bndiff}_{ij} \f$, and on the other side the change of
/// `bnraw` weighted by its gradient:
/// \f[
///   \sum_{i=1}^{n} \mathrm{bndiff}_{ij}\, \frac{\partial L}{\partial\, \mathrm{bndiff}_{ij}}
///   = \frac{\varepsilon}{\mathrm{bnvar}_{1j} + \varepsilon}
///     \sum_{i=1}^{n} \mathrm{bnraw}_{ij}\, \frac{\partial L}{\partial\, \mathrm{bnraw}_{ij}} .
/// \f]
/// The variances of the lecture's batch lie between about 0.5 and 9, so the factor is below
/// \f$ 2 \cdot 10^{-5} \f$: along this direction the two contributions cancel each other to
/// about five digits. The path through bnraw alone gives
/// \f$ \sum_i \mathrm{bnraw}_{ij}\, \partial L / \partial\, \mathrm{bnraw}_{ij} \f$ with no small
/// factor, and the path through bndiff2 alone gives minus nearly as much. The test checks the
/// identity in every column, so it fails if a term is dropped or has the wrong sign.
///
/// @section ch15_shapes Shapes
/// `dbndiff` is (n, H), like `bndiff`. In the first term the (1, H) row `bnvar_inv` is
/// broadcast over the n rows again, exactly as in the forward pass; nothing is summed, because
/// every element of `bndiff` has its own element of `bnraw`. (The sum over the rows that the
/// broadcast calls for belongs to `dbnvar_inv`, chapter 12.) In the second term all three
/// factors are (n, H); `dbndiff2` is the same in every row (chapter 14), `bndiff` is not.
#pragma once

#include "14_bndiff2/bndiff2.hpp"

namespace ninja {

/// dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2: the two uses' contributions add up.
/// @param[out] dbndiff (n, H)
/// @param dbnraw       (n, H)
/// @param bnvar_inv    (1, H)
/// @param dbndiff2     (n, H)
/// @param bndiff       (n, H)
// [step]
template <class T>
void bndiff_backward(xt::xtensor<T, 2>& dbndiff, const xt::xtensor<T, 2>& dbnraw,
                     const xt::xtensor<T, 2>& bnvar_inv, const xt::xtensor<T, 2>& dbndiff2,
                     const xt::xtensor<T, 2>& bndiff) {
    dbndiff = bnvar_inv * dbnraw           // (n, H) through bnraw
              + T(2) * bndiff * dbndiff2;  // (n, H) through bndiff2
}
// [step]

/// Chapter 15: bndiff is used twice: through bnraw and through bndiff2.
template <>
inline constexpr ChapterFacts chapter<15> = {
    "bndiff is used twice: through bnraw and through bndiff2",
    "dbndiff: bndiff reaches the loss through bnraw and through bndiff2.",
    "bndiff2 = bndiff**2; bnraw = bndiff * bnvar_inv",
    "bndiff (n, H) -> bndiff2 (n, H) and bnraw (n, H)",
    "bndiff_backward(dbndiff, dbnraw, bnvar_inv, dbndiff2, bndiff)"};

}  // namespace ninja
