/// @file
/// @brief Chapter 11's exercise: the step of batchnorm_scale.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_11_batchnorm_scale` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in batchnorm_scale.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "11_batchnorm_scale/batchnorm_scale.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param[out] dbnraw  (n, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
template <class T>
void batchnorm_scale_backward(xt::xtensor<T, 2>& dbngain, xt::xtensor<T, 2>& dbnbias,
                              xt::xtensor<T, 2>& dbnraw, const xt::xtensor<T, 2>& dhpreact,
                              const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 11 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<11> {
    /// The solutions' steps up to chapter 10, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<10>(g, f, p, b);  // the solutions of chapters 01..10
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch&) {
        exercise::batchnorm_scale_backward(g.dbngain, g.dbnbias, g.dbnraw, g.dhpreact, f.bnraw,
                                           p.bngain);
    }
};

}  // namespace ninja::exercise
