/// @file
/// @brief Chapter 13's exercise: the step of bnvar.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_13_bnvar` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in bnvar.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "13_bnvar/bnvar.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbnvar (1, H)
/// @param dbnvar_inv  (1, H)
/// @param bnvar       (1, H)
template <class T>
void bnvar_backward(xt::xtensor<T, 2>& dbnvar, const xt::xtensor<T, 2>& dbnvar_inv,
                    const xt::xtensor<T, 2>& bnvar) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 13 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<13> {
    /// The solutions' steps up to chapter 12, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<12>(g, f, p, b);  // the solutions of chapters 01..12
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch&) {
        exercise::bnvar_backward(g.dbnvar, g.dbnvar_inv, f.bnvar);
    }
};

}  // namespace ninja::exercise
