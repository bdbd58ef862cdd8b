/// @file
/// @brief Chapter 22's exercise: the step of batchnorm.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_22_batchnorm` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in batchnorm.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive (dhpreact) come from the solutions of chapters 21, 09 and 10;
/// `bnraw` and `bnvar_inv` are the forward pass's. `T` is `float` or `double`.
#pragma once

#include "22_batchnorm/batchnorm.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradients marked [out] from the others.
/// @param[out] dhprebn (n, H)
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
/// @param bnvar_inv    (1, H)
template <class T>
void batchnorm_backward(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 2>& dbngain,
                        xt::xtensor<T, 2>& dbnbias, const xt::xtensor<T, 2>& dhpreact,
                        const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain,
                        const xt::xtensor<T, 2>& bnvar_inv) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 22 with your step: the solutions of chapters 21, 09 and 10, then yours.
template <>
struct Chapter<22> {
    /// The solutions of chapters 21, 09 and 10, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<21>(g, f, p, b);  // the solution of chapter 21: dlogits
        ninja::step<9>(g, f, p, b);       // chapter 09's: dh, dW2, db2
        ninja::step<10>(g, f, p, b);      // chapter 10's: dhpreact
        step(g, f, p, b);                 // yours
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch&) {
        exercise::batchnorm_backward(g.dhprebn, g.dbngain, g.dbnbias, g.dhpreact, f.bnraw, p.bngain,
                                     f.bnvar_inv);
    }
};

}  // namespace ninja::exercise
