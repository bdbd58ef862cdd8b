/// @file
/// @brief Chapter 16: backprop through the mean subtraction to bnmeani.
///
/// @section ch16_forward The forward line
/// @code
/// bndiff = hprebn - bnmeani
/// @endcode
/// Shapes: hprebn (n, H) - bnmeani (1, H) -> bndiff (n, H).
///
/// @section ch16_derivation The derivation
/// TODO(derivation)
#pragma once

#include "15_bndiff/bndiff.hpp"

namespace ninja {

/// dbnmeani = -dbndiff.sum(0, keepdim=True): bnmeani was broadcast over the batch.
/// @param[out] dbnmeani (1, H)
/// @param dbndiff       (n, H)
template <class T>
void bnmeani_backward(xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& dbndiff) {
    dbnmeani = -xt::sum(dbndiff, {0}, xt::keep_dims);  // (1, H)
}

/// Chapter 16: backprop through the mean subtraction to bnmeani.
struct BnmeaniChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {16, "bnmeani", "backprop through the mean subtraction to bnmeani",
                "bndiff = hprebn - bnmeani", "hprebn (n, H) - bnmeani (1, H) -> bndiff (n, H)",
                {"bnmeani"}, {"dbndiff"}};
    }
    /// The steps of chapters 01..15, then this one: fills `dbnmeani`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        BndiffChapter::backward(g, f, p, b);
        bnmeani_backward(g.dbnmeani, g.dbndiff);
    }
};

}  // namespace ninja
