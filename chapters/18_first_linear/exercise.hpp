/// @file
/// @brief Chapter 18's exercise: the step of first_linear.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_18_first_linear` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in first_linear.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "18_first_linear/first_linear.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dembcat (n, B*E)
/// @param[out] dW1     (B*E, H)
/// @param[out] db1     (H,)
/// @param dhprebn      (n, H)
/// @param embcat       (n, B*E)
/// @param W1           (B*E, H)
template <class T>
void first_linear_backward(xt::xtensor<T, 2>& dembcat, xt::xtensor<T, 2>& dW1,
                           xt::xtensor<T, 1>& db1, const xt::xtensor<T, 2>& dhprebn,
                           const xt::xtensor<T, 2>& embcat, const xt::xtensor<T, 2>& W1) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 18 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<18> {
    /// The solutions' steps up to chapter 17, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<17>(g, f, p, b);  // the solutions of chapters 01..17
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch&) {
        exercise::first_linear_backward(g.dembcat, g.dW1, g.db1, g.dhprebn, f.embcat, p.W1);
    }
};

}  // namespace ninja::exercise
