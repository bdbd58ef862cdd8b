/// @file
/// @brief Chapter 08: logits is used twice: directly and through the row maximum.
///
/// @section ch08_forward The forward line
/// @code
/// logit_maxes = logits.max(1, keepdim=True).values; norm_logits = logits - logit_maxes
/// @endcode
/// Shapes: logits (n, V) -> logit_maxes (n, 1) and norm_logits (n, V).
///
/// @section ch08_derivation The derivation
/// TODO(derivation)
#pragma once

#include "07_logit_maxes/logit_maxes.hpp"

namespace ninja {

/// dlogits = dnorm_logits + one_hot(argmax of each row) * dlogit_maxes: the direct path, plus
/// the path through the maximum, which only the winning column of each row takes.
/// @param[out] dlogits  (n, V)
/// @param dnorm_logits  (n, V)
/// @param dlogit_maxes  (n, 1)
/// @param logits        (n, V)
template <class T>
void logits_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& dnorm_logits,
                     const xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& logits) {
    dlogits = dnorm_logits;  // (n, V) direct path
    for (std::size_t i = 0; i < logits.shape(0); ++i) {
        const auto row = xt::view(logits, i, xt::all());                 // (V,)
        const auto winner = std::max_element(row.begin(), row.end());   // the first maximum
        dlogits(i, std::size_t(winner - row.begin())) += dlogit_maxes(i, 0);  // through logit_maxes
    }
}

/// Chapter 08: logits is used twice: directly and through the row maximum.
struct LogitsChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {8, "logits", "logits is used twice: directly and through the row maximum",
                "logit_maxes = logits.max(1, keepdim=True).values; norm_logits = logits - logit_maxes", "logits (n, V) -> logit_maxes (n, 1) and norm_logits (n, V)",
                {"logits"}, {"dnorm_logits", "dlogit_maxes", "logits"}};
    }
    /// The steps of chapters 01..07, then this one: fills `dlogits`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        LogitMaxesChapter::backward(g, f, p, b);
        logits_backward(g.dlogits, g.dnorm_logits, g.dlogit_maxes, f.logits);
    }
};

}  // namespace ninja
