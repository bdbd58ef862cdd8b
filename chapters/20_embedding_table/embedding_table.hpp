/// @file
/// @brief Chapter 20: backprop through the lookup to the embedding table C.
///
/// @section ch20_forward The forward line
/// @code
/// emb = C[Xb]
/// @endcode
/// Shapes: C (V, E) indexed by Xb (n, B) -> emb (n, B, E).
///
/// @section ch20_derivation The derivation
/// TODO(derivation)
#pragma once

#include "19_emb/emb.hpp"

namespace ninja {

/// dC: a scatter-add of the rows of demb into the rows of C that Xb picked. A character that
/// appears several times in the batch collects the sum of all its rows.
/// @param[out] dC (V, E)
/// @param demb    (n, B, E)
/// @param C       (V, E) only its shape is used
/// @param Xb      (n, B) which row of C each embedding came from
template <class T>
void embedding_table_backward(xt::xtensor<T, 2>& dC, const xt::xtensor<T, 3>& demb,
                              const xt::xtensor<T, 2>& C, const xt::xtensor<std::int64_t, 2>& Xb) {
    dC = xt::zeros_like(C);                                           // (V, E)
    for (std::size_t k = 0; k < Xb.shape(0); ++k)
        for (std::size_t j = 0; j < Xb.shape(1); ++j)
            xt::view(dC, Xb(k, j), xt::all()) += xt::view(demb, k, j, xt::all());  // (E,)
}

/// Chapter 20: backprop through the lookup to the embedding table C.
struct EmbeddingTableChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {20, "embedding_table", "backprop through the lookup to the embedding table C",
                "emb = C[Xb]", "C (V, E) indexed by Xb (n, B) -> emb (n, B, E)",
                {"C"}, {"demb", "C"}};
    }
    /// The steps of chapters 01..19, then this one: fills `dC`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        EmbChapter::backward(g, f, p, b);
        embedding_table_backward(g.dC, g.demb, p.C, b.Xb);
    }
};

}  // namespace ninja
