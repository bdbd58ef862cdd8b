/// @file
/// @brief Chapter 20: the derivation, and the code of the step.
///
/// @section ch20_forward The forward line
/// @code
/// emb = C[Xb]
/// @endcode
///
/// Indexing the table with the (n, B) integer tensor `Xb` copies, for every example \f$ i \f$
/// and context position \f$ k \f$, the row of `C` that belongs to the character
/// \f$ \mathrm{Xb}_{ik} \f$:
/// \f[
///   \mathrm{emb}_{ike} = C_{\mathrm{Xb}_{ik},\, e},
///   \qquad 1 \le i \le n,\; 1 \le k \le B,\; 1 \le e \le E,
/// \f]
/// where the rows of `C` are numbered by character code, as in `Xb`: 0 for `.`, 1 to 26 for
/// `a` to `z`. The same row of `C` can be copied many times: every character that occurs in
/// the batch is looked up once per occurrence, and the padding character `.` fills the start
/// of the context of the first examples of every name. Some rows may not be read at all.
///
/// @section ch20_derivation The derivation
/// **The local partials.** The element \f$ C_{ve} \f$ is copied into every position
/// \f$ (i, k) \f$ whose character is \f$ v \f$, in the same column \f$ e \f$:
/// \f[
///   \frac{\partial\, \mathrm{emb}_{ikf}}{\partial\, C_{ve}}
///   = \begin{cases} 1 & \text{if } \mathrm{Xb}_{ik} = v \text{ and } f = e, \\[4pt]
///                   0 & \text{otherwise.} \end{cases}
/// \f]
///
/// **The gradient: a scatter-add.** One contribution for every occurrence of character
/// \f$ v \f$ in the batch, wherever it is, written with \f$ [\mathrm{Xb}_{ik} = v] \f$ for 1 if
/// the condition holds and 0 if not:
/// \f[
///   \frac{\partial L}{\partial\, C_{ve}}
///   = \sum_{i=1}^{n} \sum_{k=1}^{B} [\mathrm{Xb}_{ik} = v]\,
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{emb}_{ike}}}_{\text{chapter 19}} .
/// \f]
/// Reading it as code: start from zeros and, for each of the \f$ n B \f$ positions, add the
/// gradient row \f$ \mathrm{demb}_{ik\cdot} \f$ (E numbers) into row \f$ \mathrm{Xb}_{ik} \f$
/// of `dC`. A row of `C` that was copied several times, in several examples or at several
/// positions of one context (the `...` context of a name's first letter uses `.` three times),
/// collects the sum of all its copies' gradients, as any variable used more than once does.
/// Writing the row instead of adding to it would keep only the last copy's contribution. A
/// row of `C` whose character does not occur in `Xb` was never read by the forward pass and
/// gets a gradient of exactly zero.
///
/// The same sum in matrix form: let \f$ O \f$ be the \f$ (nB, V) \f$ one-hot matrix with a 1
/// in column \f$ \mathrm{Xb}_{ik} \f$ of row \f$ (i, k) \f$. The lookup is
/// \f$ \mathrm{emb} = O\, C \f$ (read as \f$ (nB, E) \f$), a matrix product, and chapter 18's
/// rule for the weight of a product gives
/// \f$ \partial L / \partial C = O^\top \mathrm{demb} \f$: the same scatter-add, with the
/// multiplications by zero written out.
///
/// **The end of Exercise 1.** `C` is the first tensor the forward pass reads, so this is the last
/// backward step: every intermediate and every parameter of the model now has its gradient.
/// `chapter_20_embedding_table --all` prints the whole of the lecture's comparison table, its
/// 26 lines in the lecture's order from `logprobs` to `C`, each gradient derived by hand in one
/// of chapters 01 to 20 and compared with PyTorch's autograd (or, with
/// `--reference numerical`, with float64 central differences on any seed and size).
///
/// @section ch20_shapes Shapes
/// `dC` is (V, E), like `C`: the \f$ n B \f$ gradient rows of `demb` (E numbers each) are
/// added into \f$ V \f$ rows. `Xb` is an integer tensor of indices and gets no gradient; the
/// values of `C` do not enter, only its shape.
#pragma once

#include "19_emb/emb.hpp"

namespace ninja {

/// dC: a scatter-add of the rows of demb into the rows of C that Xb picked. A character that
/// appears several times in the batch collects the sum of all its rows.
/// @param[out] dC (V, E)
/// @param demb    (n, B, E)
/// @param C       (V, E) only its shape is used
/// @param Xb      (n, B) which row of C each embedding came from
// [step]
template <class T>
void embedding_table_backward(xt::xtensor<T, 2>& dC, const xt::xtensor<T, 3>& demb,
                              const xt::xtensor<T, 2>& C, const xt::xtensor<std::int64_t, 2>& Xb) {
    dC = xt::zeros_like(C);                            // (V, E)
    for (std::size_t i = 0; i < Xb.shape(0); ++i)      // example i
        for (std::size_t k = 0; k < Xb.shape(1); ++k)  // context position k
            xt::view(dC, Xb(i, k), xt::all()) += xt::view(demb, i, k, xt::all());  // (E,)
}
// [step]

/// Chapter 20: backprop through the lookup to the embedding table C.
template <>
inline constexpr ChapterFacts chapter<20> = {
    "backprop through the lookup to the embedding table C",
    "dC, the gradient of the embedding table, through the lookup C[Xb].", "emb = C[Xb]",
    "C (V, E) indexed by Xb (n, B) -> emb (n, B, E)", "embedding_table_backward(dC, demb, C, Xb)"};

}  // namespace ninja
