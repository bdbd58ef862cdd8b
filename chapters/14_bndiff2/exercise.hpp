/// @file
/// @brief Chapter 14's exercise: the step of bndiff2.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_14_bndiff2`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in bndiff2.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "14_bndiff2/bndiff2.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbndiff2 (n, H)
/// @param dbnvar        (1, H)
/// @param bndiff2       (n, H) only its shape is used
template <class T>
void bndiff2_backward(xt::xtensor<T, 2>& dbndiff2, const xt::xtensor<T, 2>& dbnvar,
                      const xt::xtensor<T, 2>& bndiff2) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 14 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<14> {
    /// Printed by `chapter_14_bndiff2 --hint`.
    static constexpr const char* hints[] = {
        "In the forward pass the sum over the batch axis (0) turned (n, H) into (1, H); in the "
        "backward pass this becomes a broadcast back over the n rows. n is bndiff2.shape(0), and "
        "the factor is 1/(n-1) (Bessel's correction), not 1/n.",
        "Careful with xtensor: assigning a (1, H) expression to dbndiff2 gives it the shape (1, "
        "H). Make the result (n, H) explicitly, for instance by combining it with a tensor of "
        "ones of bndiff2's shape (xt::ones_like)."};
    /// The solutions' steps up to chapter 13, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<13>(g, f, p, b);  // the solutions of chapters 01..13
        exercise::bndiff2_backward(g.dbndiff2, g.dbnvar, f.bndiff2);
    }
};

}  // namespace ninja::exercise
