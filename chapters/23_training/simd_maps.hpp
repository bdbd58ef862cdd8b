/// @file
/// @brief The elementwise maps of chapter 23's fast trainer and evaluation, each for a float or
/// a SIMD vector of floats with the same result in every lane: a rational tanh, batchnorm's
/// `bnvar_inv`, and chapter 10's step. (The loops that apply them: common/simd.hpp.)
#pragma once

#include <cmath>

#include <xsimd/xsimd.hpp>

#include "common/hyperparameters.hpp"  // bn_eps

namespace ninja {

/// tanh as one rational function of \f$ t = x^2 \f$:
/// \f[ \tanh x \approx x\, \frac{p_0 + p_1 t + \dots + p_4 t^4}{1 + q_1 t + \dots + q_4 t^4}, \f]
/// on x clamped to \f$ \pm L \f$ with \f$ L = 7.9053 \f$, where \f$ 1 - \tanh L \approx 2.7
/// \cdot 10^{-7} \f$ is no larger than the error of the approximation itself. The coefficients
/// were fitted for this workbook by weighted least squares on [0, L], the weights updated until
/// the relative error was level (Lawson's iteration towards the minimax fit): 5.7e-9 in exact
/// arithmetic. Evaluated in float, the largest error is 3.0e-7 (5 units in the last place), and
/// the result never leaves (-1, 1). Eight fused multiply-adds and one division: about twice as
/// fast as xsimd's tanh, which evaluates two formulas and blends them. The training step would
/// otherwise spend a tenth of its time in tanh. `V` is a float or a SIMD vector of floats, with
/// the same result in every lane as for the float alone.
template <class V>
inline V tanh_rational(V x) {
    const V limit(7.90531110763549805f);
    x = xsimd::min(limit, xsimd::max(V(-7.90531110763549805f), x));
    const V t = x * x;
    V p(1.54171265857291e-08f);
    p = xsimd::fma(t, p, V(2.20162468424135e-05f));
    p = xsimd::fma(t, p, V(3.57859189610791e-03f));
    p = xsimd::fma(t, p, V(1.34502899197853e-01f));
    p = xsimd::fma(t, p, V(9.99999994336518e-01f));
    V q(8.59460847730599e-07f);
    q = xsimd::fma(t, q, V(3.42298016626464e-04f));
    q = xsimd::fma(t, q, V(2.61907359450998e-02f));
    q = xsimd::fma(t, q, V(4.67836179017635e-01f));
    q = xsimd::fma(t, q, V(1.0f));
    return x * p / q;
}

/// `bnvar_inv = (bnvar + eps)**-0.5`, written as the forward pass of common/model.hpp writes it;
/// for a float or a SIMD vector of floats (square root and division are exactly rounded in
/// both, so every lane gets the float's result).
template <class V>
inline V batchnorm_inv_std(V bnvar) {
    using std::sqrt;
    using xsimd::sqrt;
    return V(1.0f) / sqrt(bnvar + V(float(bn_eps)));
}

/// One entry (or a SIMD vector of entries) of chapter 10's step, `dhpreact = (1 - h**2) * dh`.
template <class V>
inline V hpreact_grad(V h, V dh) {
    return (V(1.0f) - h * h) * dh;
}

}  // namespace ninja
