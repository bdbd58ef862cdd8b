/// @file
/// @brief Chapter 15's exercise: the step of bndiff.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_15_bndiff` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in bndiff.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "15_bndiff/bndiff.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbndiff (n, H)
/// @param dbnraw       (n, H)
/// @param bnvar_inv    (1, H)
/// @param dbndiff2     (n, H)
/// @param bndiff       (n, H)
template <class T>
void bndiff_backward(xt::xtensor<T, 2>& dbndiff, const xt::xtensor<T, 2>& dbnraw,
                     const xt::xtensor<T, 2>& bnvar_inv, const xt::xtensor<T, 2>& dbndiff2,
                     const xt::xtensor<T, 2>& bndiff) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 15 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<15> {
    /// The solutions' steps up to chapter 14, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<14>(g, f, p, b);  // the solutions of chapters 01..14
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch&) {
        exercise::bndiff_backward(g.dbndiff, g.dbnraw, f.bnvar_inv, g.dbndiff2, f.bndiff);
    }
};

}  // namespace ninja::exercise
