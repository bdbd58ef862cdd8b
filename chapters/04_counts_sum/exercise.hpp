/// @file
/// @brief Chapter 04's exercise: the step of counts_sum.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_04_counts_sum`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in counts_sum.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "04_counts_sum/counts_sum.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dcounts_sum (n, 1)
/// @param dcounts_sum_inv  (n, 1)
/// @param counts_sum       (n, 1)
template <class T>
void counts_sum_backward(xt::xtensor<T, 2>& dcounts_sum, const xt::xtensor<T, 2>& dcounts_sum_inv,
                         const xt::xtensor<T, 2>& counts_sum) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 04 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<4> {
    /// Printed by `chapter_04_counts_sum --hint`.
    static constexpr const char* hints[] = {
        "An elementwise function: both tensors are (n, 1), nothing is broadcast and nothing is "
        "summed.",
        "What is the derivative of x**-1? Evaluate it at counts_sum and multiply it by the "
        "gradient that arrives."};
    /// The solutions' steps up to chapter 03, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<3>(g, f, p, b);  // the solutions of chapters 01..03
        exercise::counts_sum_backward(g.dcounts_sum, g.dcounts_sum_inv, f.counts_sum);
    }
};

}  // namespace ninja::exercise
