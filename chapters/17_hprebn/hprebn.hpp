/// @file
/// @brief Chapter 17: hprebn is used twice: directly and through the batch mean.
///
/// @section ch17_forward The forward line
/// @code
/// bnmeani = 1/n * hprebn.sum(0, keepdim=True); bndiff = hprebn - bnmeani
/// @endcode
/// Shapes: hprebn (n, H) -> bnmeani (1, H) and bndiff (n, H).
///
/// @section ch17_derivation The derivation
/// TODO(derivation)
#pragma once

#include "16_bnmeani/bnmeani.hpp"

namespace ninja {

/// dhprebn = dbndiff + 1/n * dbnmeani: the direct path plus the mean's, broadcast back over
/// the n rows it averaged.
/// @param[out] dhprebn (n, H)
/// @param dbndiff      (n, H)
/// @param dbnmeani     (1, H)
/// @param hprebn       (n, H) only its shape is used
template <class T>
void hprebn_backward(xt::xtensor<T, 2>& dhprebn, const xt::xtensor<T, 2>& dbndiff,
                     const xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& hprebn) {
    const std::size_t n = hprebn.shape(0);
    dhprebn = dbndiff                                 // (n, H) direct path
              + T(1.0 / double(n)) * dbnmeani;        // (1, H) broadcast: through bnmeani
}

/// Chapter 17: hprebn is used twice: directly and through the batch mean.
struct HprebnChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {17, "hprebn", "hprebn is used twice: directly and through the batch mean",
                "bnmeani = 1/n * hprebn.sum(0, keepdim=True); bndiff = hprebn - bnmeani", "hprebn (n, H) -> bnmeani (1, H) and bndiff (n, H)",
                {"hprebn"}, {"dbndiff", "dbnmeani", "hprebn"}};
    }
    /// The steps of chapters 01..16, then this one: fills `dhprebn`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        BnmeaniChapter::backward(g, f, p, b);
        hprebn_backward(g.dhprebn, g.dbndiff, g.dbnmeani, f.hprebn);
    }
};

}  // namespace ninja
