/// @file
/// @brief Chapter 09's exercise: the step of second_linear.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_09_second_linear` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in second_linear.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "09_second_linear/second_linear.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dh  (n, H)
/// @param[out] dW2 (H, V)
/// @param[out] db2 (V,)
/// @param dlogits  (n, V)
/// @param h        (n, H)
/// @param W2       (H, V)
template <class T>
void second_linear_backward(xt::xtensor<T, 2>& dh, xt::xtensor<T, 2>& dW2, xt::xtensor<T, 1>& db2,
                            const xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& h,
                            const xt::xtensor<T, 2>& W2) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 09 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<9> {
    /// The solutions' steps up to chapter 08, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<8>(g, f, p, b);  // the solutions of chapters 01..08
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch&) {
        exercise::second_linear_backward(g.dh, g.dW2, g.db2, g.dlogits, f.h, p.W2);
    }
};

}  // namespace ninja::exercise
