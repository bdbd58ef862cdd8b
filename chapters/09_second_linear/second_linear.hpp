/// @file
/// @brief Chapter 09: the derivation, and the code of the step.
///
/// @section ch09_forward The forward line
/// @code
/// logits = h @ W2 + b2
/// @endcode
///
/// @section ch09_derivation The derivation
/// Written out element by element, with \f$ i \f$ the example (row), \f$ j \f$ the output
/// symbol (column) and \f$ k \f$ the hidden unit that the matrix product sums over:
/// \f[
///   \mathrm{logits}_{ij} = \sum_{k=1}^{H} h_{ik}\, W2_{kj} + b2_j,
///   \qquad 1 \le i \le n,\; 1 \le j \le V.
/// \f]
/// The line has three inputs, and the gradient of each one is found the same way: list every
/// element of `logits` that the input element appears in, take the local partial of each, and
/// add up the contributions weighted by \f$ \partial L / \partial\, \mathrm{logits}_{ij} \f$,
/// which chapter 08 computed.
///
/// **With respect to h.** The element \f$ h_{ik} \f$ belongs to row \f$ i \f$ of `h`, so it
/// enters the \f$ V \f$ logits of row \f$ i \f$ (one for every column \f$ j \f$) and no logit of
/// another row. In \f$ \mathrm{logits}_{ij} \f$ it appears in exactly one term of the sum over
/// \f$ k \f$, multiplied by \f$ W2_{kj} \f$, so the local partial is
/// \f[
///   \frac{\partial\, \mathrm{logits}_{ij}}{\partial h_{ik}} = W2_{kj}
///   \qquad\text{(the row index of } W2 \text{ is the column index of } h\text{)}.
/// \f]
/// The indices matter: the partial is neither \f$ W2_{ij} \f$ nor \f$ W2_{ji} \f$, and it is
/// taken with respect to \f$ h_{ik} \f$, not \f$ h_{ij} \f$. Summing the \f$ V \f$ contributions:
/// \f[
///   \frac{\partial L}{\partial h_{ik}}
///   = \sum_{j=1}^{V}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{logits}_{ij}}}_{\text{chapter 08}}
///     \, W2_{kj}
///   = \sum_{j=1}^{V} \mathrm{dlogits}_{ij}\, (W2^\top)_{jk}
///   = \bigl(\mathrm{dlogits}\; W2^\top\bigr)_{ik}.
/// \f]
///
/// **With respect to W2.** The element \f$ W2_{kj} \f$ sits in column \f$ j \f$, so it enters
/// the logit of column \f$ j \f$ in every one of the \f$ n \f$ rows, each time multiplied by
/// that row's \f$ h_{ik} \f$:
/// \f$ \partial\, \mathrm{logits}_{ij} / \partial W2_{kj} = h_{ik} \f$. All \f$ n \f$ examples
/// of the batch use the same weight, so their contributions add:
/// \f[
///   \frac{\partial L}{\partial W2_{kj}}
///   = \sum_{i=1}^{n} h_{ik}\, \mathrm{dlogits}_{ij}
///   = \sum_{i=1}^{n} (h^\top)_{ki}\, \mathrm{dlogits}_{ij}
///   = \bigl(h^\top \mathrm{dlogits}\bigr)_{kj}.
/// \f]
/// Read as a sum over examples, this is \f$ \sum_i h_{i\cdot}^\top\, \mathrm{dlogits}_{i\cdot} \f$:
/// one outer product (H, 1) times (1, V) per example, each example's activations times its
/// error signal.
///
/// **With respect to b2.** The bias is a vector of \f$ V \f$ numbers added to each of the
/// \f$ n \f$ rows: the forward pass broadcasts it, as if it were copied into an (n, V) matrix
/// with \f$ n \f$ identical rows. The element \f$ b2_j \f$ therefore appears in the \f$ n \f$
/// logits \f$ \mathrm{logits}_{1j}, \dots, \mathrm{logits}_{nj} \f$ of column \f$ j \f$, each
/// time with partial 1. A broadcast in the forward pass becomes a sum in the backward pass:
/// \f[
///   \frac{\partial L}{\partial b2_j} = \sum_{i=1}^{n} \mathrm{dlogits}_{ij}.
/// \f]
/// That is \f$ n \f$ contributions per element (32 for the lecture's batch), one per row of
/// the batch, whatever the number \f$ H \f$ of hidden units is.
///
/// Since \f$ \mathrm{dlogits}_{ij} = (\mathrm{probs}_{ij} - [j = y_i]) / n \f$ (chapter 08 and
/// the lecture's second exercise), where \f$ [j = y_i] \f$ is 1 in the target's column and 0
/// elsewhere, the bias gradient has a plain meaning:
/// \f$ \partial L / \partial b2_j \f$ is the average probability the model gives symbol
/// \f$ j \f$ minus the fraction of the batch whose target is \f$ j \f$. Its \f$ V \f$ entries
/// add up to zero.
///
/// @section ch09_shapes Shapes
/// Each gradient has the shape of its tensor: `dh` (n, H), `dW2` (H, V), `db2` (V,).
/// The shapes also show where the transposes go. `dh` must be (n, H) and is built from
/// `dlogits` (n, V) and `W2` (H, V); the product has to contract the two V axes, and the only
/// way to line them up is (n, V) @ (V, H), that is `dlogits @ W2.T`. Likewise `dW2` must be
/// (H, V) from `h` (n, H) and `dlogits` (n, V): the n axes contract, (H, n) @ (n, V), that is
/// `h.T @ dlogits`. The choice is unique because n, H and V are different sizes (32, 64 and
/// 27 in the lecture). When two of them happen to be equal, a wrong product can have the right
/// shape (with n = V, `dlogits.T @ W2.T` is (n, H) too); the elementwise derivation above is
/// what decides, and the shapes are only a check.
///
/// `db2` sums over the batch axis (axis 0) without keeping it, which gives (V,) like `b2`.
/// Written `dlogits.sum(0, keepdim=True)` it would be (1, V): a notebook `cmp` lets that pass,
/// because PyTorch broadcasts (1, V) against (V,) when it compares, but this workbook requires
/// every gradient to have exactly the shape of its tensor.
#pragma once

#include "08_logits/logits.hpp"

namespace ninja {

/// The backward pass of any linear layer `out = x @ W + b`: dx = dout @ W^T, dW = x^T @ dout,
/// db = dout.sum(0) (a sum over the n rows that b was broadcast to). Chapter 18 reuses it for
/// the first layer.
/// @param[out] dx (n, in)
/// @param[out] dW (in, out)
/// @param[out] db (out,)
/// @param dout    (n, out)
/// @param x       (n, in)
/// @param W       (in, out)
// [step]
template <class T>
void linear_backward(xt::xtensor<T, 2>& dx, xt::xtensor<T, 2>& dW, xt::xtensor<T, 1>& db,
                     const xt::xtensor<T, 2>& dout, const xt::xtensor<T, 2>& x,
                     const xt::xtensor<T, 2>& W) {
    dx = xt::linalg::dot(dout, xt::transpose(W));  // (n, out) @ (out, in) -> (n, in)
    dW = xt::linalg::dot(xt::transpose(x), dout);  // (in, n) @ (n, out) -> (in, out)
    db = xt::sum(dout, {0});                       // (out,): b was broadcast over n rows
}

/// dh = dlogits @ W2^T, dW2 = h^T @ dlogits, db2 = dlogits.sum(0): the linear layer's backward
/// pass for `logits = h @ W2 + b2`.
/// @param[out] dh  (n, H)
/// @param[out] dW2 (H, V)
/// @param[out] db2 (V,)
/// @param dlogits  (n, V)
/// @param h        (n, H)
/// @param W2       (H, V)
template <class T>
void second_linear_backward(xt::xtensor<T, 2>& dh, xt::xtensor<T, 2>& dW2, xt::xtensor<T, 1>& db2,
                            const xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& h,
                            const xt::xtensor<T, 2>& W2) {
    linear_backward(dh, dW2, db2, dlogits, h, W2);  // (n, H), (H, V), (V,)
}
// [step]

/// Chapter 09: backprop through the second linear layer to h, W2 and b2.
template <>
inline constexpr ChapterFacts chapter<9> = {
    "backprop through the second linear layer to h, W2 and b2",
    "dh, dW2 and db2, the gradients of the three inputs of the second linear layer.",
    "logits = h @ W2 + b2", "h (n, H) @ W2 (H, V) + b2 (V,) -> logits (n, V)",
    "second_linear_backward(dh, dW2, db2, dlogits, h, W2)"};

}  // namespace ninja
