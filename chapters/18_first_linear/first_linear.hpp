/// @file
/// @brief Chapter 18: the derivation, and the code of the step.
///
/// @section ch18_forward The forward line
/// @code
/// hprebn = embcat @ W1 + b1
/// @endcode
///
/// Element by element, with \f$ i \f$ the example (row), \f$ j \f$ the hidden unit (column)
/// and \f$ k \f$ the column of `embcat` that the matrix product sums over (\f$ B E = 30 \f$ of
/// them in the lecture: three characters of ten numbers each):
/// \f[
///   \mathrm{hprebn}_{ij} = \sum_{k=1}^{BE} \mathrm{embcat}_{ik}\, W1_{kj} + b1_j,
///   \qquad 1 \le i \le n,\; 1 \le j \le H.
/// \f]
///
/// @section ch18_derivation The derivation
/// The line has three inputs. For each input element, list the elements of `hprebn` it appears
/// in, take the local partial of each, and add the contributions weighted by
/// \f$ \partial L / \partial\, \mathrm{hprebn}_{ij} \f$, written \f$ \mathrm{dhprebn}_{ij} \f$
/// (chapter 17). This is the same work as for the second linear layer (chapter 09), with other
/// names.
///
/// **With respect to embcat.** The element \f$ \mathrm{embcat}_{ik} \f$ belongs to row
/// \f$ i \f$, so it enters the \f$ H \f$ pre-activations of row \f$ i \f$ (one per column
/// \f$ j \f$) and nothing in another row. In \f$ \mathrm{hprebn}_{ij} \f$ it is one term of the
/// sum over \f$ k \f$, multiplied by \f$ W1_{kj} \f$:
/// \f[
///   \frac{\partial\, \mathrm{hprebn}_{ij}}{\partial\, \mathrm{embcat}_{ik}} = W1_{kj},
///   \qquad
///   \frac{\partial\, \mathrm{hprebn}_{lj}}{\partial\, \mathrm{embcat}_{ik}} = 0
///   \text{ for } l \ne i .
/// \f]
/// The row index of \f$ W1 \f$ is the column index of `embcat`; the partial is neither
/// \f$ W1_{jk} \f$ nor \f$ W1_{ij} \f$. Summing the \f$ H \f$ contributions of row \f$ i \f$:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{embcat}_{ik}}
///   = \sum_{j=1}^{H}
///     \underbrace{\mathrm{dhprebn}_{ij}}_{\text{chapter 17}}\, W1_{kj}
///   = \sum_{j=1}^{H} \mathrm{dhprebn}_{ij}\, (W1^\top)_{jk}
///   = \bigl(\mathrm{dhprebn}\; W1^\top\bigr)_{ik}.
/// \f]
///
/// **With respect to W1.** The weight \f$ W1_{kj} \f$ sits in column \f$ j \f$, so it enters
/// column \f$ j \f$ of every row: all \f$ n \f$ examples use the same weight, each multiplying
/// it by its own \f$ \mathrm{embcat}_{ik} \f$:
/// \f[
///   \frac{\partial\, \mathrm{hprebn}_{ij}}{\partial\, W1_{kj}} = \mathrm{embcat}_{ik},
///   \qquad
///   \frac{\partial\, \mathrm{hprebn}_{il}}{\partial\, W1_{kj}} = 0 \text{ for } l \ne j,
/// \f]
/// and the \f$ n \f$ contributions add:
/// \f[
///   \frac{\partial L}{\partial\, W1_{kj}}
///   = \sum_{i=1}^{n} \mathrm{embcat}_{ik}\, \mathrm{dhprebn}_{ij}
///   = \sum_{i=1}^{n} (\mathrm{embcat}^\top)_{ki}\, \mathrm{dhprebn}_{ij}
///   = \bigl(\mathrm{embcat}^\top \mathrm{dhprebn}\bigr)_{kj}.
/// \f]
///
/// **With respect to b1.** The bias holds \f$ H \f$ numbers and is added to each of the
/// \f$ n \f$ rows: the forward pass broadcasts it over the batch. The element \f$ b1_j \f$
/// appears in \f$ \mathrm{hprebn}_{1j}, \dots, \mathrm{hprebn}_{nj} \f$ with partial 1 each
/// time, so the broadcast becomes a sum over the batch axis:
/// \f[
///   \frac{\partial L}{\partial\, b1_j} = \sum_{i=1}^{n} \mathrm{dhprebn}_{ij}.
/// \f]
/// That is \f$ n \f$ contributions per element, one per example of the batch (32 in the
/// lecture), not \f$ H \f$: each hidden unit has its own bias, and it is the examples that
/// share it.
///
/// **Why db1 is zero.** Chapter 17 showed that every column of `dhprebn` sums to zero, so
/// \f$ \partial L / \partial\, b1_j = 0 \f$ exactly, in the mathematics: whatever `b1` adds to
/// column \f$ j \f$ the batch mean subtracts again, and the loss cannot feel it. A bias in
/// front of batchnorm is wasted; the model keeps it as one more gradient to derive. What the
/// programs print for `db1` is rounding noise, and so is PyTorch's value. A consequence for
/// checking: a reference that is zero cannot tell the right formula for `db1` from a wrong one
/// that also gives nearly zero, such as zeros, or the column mean of `dhprebn` instead of its
/// sum: both pass the comparisons with autograd and with central differences. The test
/// therefore also runs this step alone, on an upstream gradient whose columns do not sum to
/// zero, where `db1` is far from zero and its formula can be checked.
///
/// @section ch18_shapes Shapes
/// Each gradient has the shape of its tensor: `dembcat` (n, B*E), `dW1` (B*E, H), `db1` (H,).
/// The shapes also show where the transposes go. `dembcat` must be (n, B*E) and is built from
/// `dhprebn` (n, H) and `W1` (B*E, H): the H axes have to contract, which lines up only as
/// (n, H) @ (H, B*E), that is `dhprebn @ W1.T`. `dW1` must be (B*E, H), built from `embcat`
/// (n, B*E) and `dhprebn` (n, H): the n axes contract, (B*E, n) @ (n, H), that is
/// `embcat.T @ dhprebn`. The choice is unique because n, B*E and H differ (32, 30 and 64);
/// if two of them were equal a wrong product could have the right shape, and the elementwise
/// derivation above is what decides. `db1` sums over axis 0 without keeping it, which gives
/// (H,) like `b1`.
#pragma once

#include "17_hprebn/hprebn.hpp"

namespace ninja {

/// dembcat = dhprebn @ W1^T, dW1 = embcat^T @ dhprebn, db1 = dhprebn.sum(0): chapter 09's
/// linear_backward() applied to the first layer.
/// @param[out] dembcat (n, B*E)
/// @param[out] dW1     (B*E, H)
/// @param[out] db1     (H,)
/// @param dhprebn      (n, H)
/// @param embcat       (n, B*E)
/// @param W1           (B*E, H)
// [step]
template <class T>
void first_linear_backward(xt::xtensor<T, 2>& dembcat, xt::xtensor<T, 2>& dW1,
                           xt::xtensor<T, 1>& db1, const xt::xtensor<T, 2>& dhprebn,
                           const xt::xtensor<T, 2>& embcat, const xt::xtensor<T, 2>& W1) {
    // The same layer as chapter 09's, with embcat for h and W1 for W2.
    linear_backward(dembcat, dW1, db1, dhprebn, embcat, W1);  // (n, B*E), (B*E, H), (H,)
}
// [step]

/// Chapter 18: backprop through the first linear layer to embcat, W1 and b1.
template <>
inline constexpr ChapterFacts chapter<18> = {
    "backprop through the first linear layer to embcat, W1 and b1",
    "dembcat, dW1 and db1, the gradients of the three inputs of the first linear layer.",
    "hprebn = embcat @ W1 + b1", "embcat (n, B*E) @ W1 (B*E, H) + b1 (H,) -> hprebn (n, H)",
    "first_linear_backward(dembcat, dW1, db1, dhprebn, embcat, W1)"};

}  // namespace ninja
