/// @file
/// @brief Chapter 14: the derivation, and the code of the step.
///
/// @section ch14_forward The forward line
/// @code
/// bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)
/// @endcode
///
/// @section ch14_derivation The derivation
/// Each column of the squared deviations is summed over the batch and divided by
/// \f$ n - 1 \f$:
/// \f[
///   \mathrm{bnvar}_{1j} = \frac{1}{n-1} \sum_{i=1}^{n} \mathrm{bndiff2}_{ij}.
/// \f]
/// The element \f$ \mathrm{bndiff2}_{ij} \f$ appears in one term of one of these sums, the sum of
/// column \f$ j \f$, with coefficient \f$ 1/(n-1) \f$, and in no other element of `bnvar`:
/// \f[
///   \frac{\partial\, \mathrm{bnvar}_{1k}}{\partial\, \mathrm{bndiff2}_{ij}}
///   = \begin{cases} \dfrac{1}{n-1} & \text{if } k = j, \\[4pt] 0 & \text{otherwise,} \end{cases}
///   \qquad\text{so}\qquad
///   \frac{\partial L}{\partial\, \mathrm{bndiff2}_{ij}}
///   = \frac{1}{n-1}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{bnvar}_{1j}}}_{\text{chapter 13}}.
/// \f]
/// The right-hand side does not depend on \f$ i \f$. A sum in the forward pass becomes a
/// broadcast in the backward pass: the (1, H) row \f$ \mathrm{dbnvar} / (n-1) \f$ is copied into
/// every one of the \f$ n \f$ rows, and `dbndiff2` is the same in every row. Every example's
/// squared deviation counts toward the variance with the same weight, so each receives the same
/// share of the gradient. (The values of `bndiff2` do not enter; only its shape does.)
///
/// **Why n - 1 (Bessel's correction).** The batch is a sample, and its variance is meant
/// to estimate the variance \f$ \sigma^2 \f$ of the hidden unit over the whole data. The
/// deviations are measured from the batch mean \f$ \bar x \f$, which was estimated from the
/// same \f$ n \f$ numbers and is therefore closer to them than the true mean \f$ \mu \f$ is (of
/// all numbers, \f$ \bar x \f$ is the one that makes their sum of squared deviations
/// smallest). With
/// \f$ x_1, \dots, x_n \f$ drawn independently, each with mean \f$ \mu \f$ and variance
/// \f$ \sigma^2 \f$ (so that \f$ \bar x \f$ has variance \f$ \sigma^2 / n \f$):
/// \f{align*}{
///   \sum_{i=1}^{n} (x_i - \bar x)^2 &= \sum_{i=1}^{n} (x_i - \mu)^2 - n (\bar x - \mu)^2,
///   \\ \mathrm{E}\Bigl[\sum_{i=1}^{n} (x_i - \bar x)^2\Bigr]
///     &= n \sigma^2 - n \cdot \frac{\sigma^2}{n} = (n - 1)\, \sigma^2 .
/// \f}
/// Dividing by \f$ n \f$ would underestimate \f$ \sigma^2 \f$ by the factor \f$ (n-1)/n \f$;
/// dividing by \f$ n - 1 \f$ gives an unbiased estimate. One of the \f$ n \f$ degrees of freedom
/// was spent on the mean: the deviations always sum to zero.
///
/// The lecture uses the unbiased form during training for a practical reason too. The batchnorm
/// paper, and PyTorch's `BatchNorm1d`, normalise each training batch with the biased
/// \f$ 1/n \f$ variance but keep the unbiased \f$ 1/(n-1) \f$ one for the running estimate used
/// at test time, so training and inference normalise with slightly different variances (by
/// \f$ 32/31 \f$ for a batch of 32). Using \f$ 1/(n-1) \f$ in both places removes that mismatch.
///
/// **What breaks at n = 1.** A single example's deviation from its own mean is 0, and
/// the factor \f$ 1/(n-1) \f$ divides by zero: the forward pass computes \f$ 0/0 \f$ and the
/// backward pass multiplies by \f$ 1/0 \f$. One number says nothing about a spread. The programs
/// and the model refuse a batch of fewer than 2 examples for this reason. At \f$ n = 2 \f$ the
/// factor is 1 and `dbndiff2` is `dbnvar` copied into both rows.
///
/// @section ch14_shapes Shapes
/// `dbndiff2` is (n, H), like `bndiff2`: the (1, H) gradient `dbnvar`, divided by n-1, is
/// broadcast over the n rows that the forward sum ran over.
#pragma once

#include "13_bnvar/bnvar.hpp"

namespace ninja {

/// dbndiff2 = 1/(n-1) * dbnvar, broadcast back over the n rows the sum ran over.
/// @param[out] dbndiff2 (n, H)
/// @param dbnvar        (1, H)
/// @param bndiff2       (n, H) only its shape is used
// [step]
template <class T>
void bndiff2_backward(xt::xtensor<T, 2>& dbndiff2, const xt::xtensor<T, 2>& dbnvar,
                      const xt::xtensor<T, 2>& bndiff2) {
    const std::size_t n = bndiff2.shape(0);
    dbndiff2 = xt::ones_like(bndiff2) * (T(1.0 / double(n - 1)) * dbnvar);  // (n, H)
}
// [step]

/// Chapter 14: backprop through the unbiased variance's sum to bndiff2.
template <>
inline constexpr ChapterFacts chapter<14> = {
    "backprop through the unbiased variance's sum to bndiff2",
    "dbndiff2, through the sum over the batch of the unbiased variance.",
    "bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)", "bndiff2 (n, H) -> bnvar (1, H)",
    "bndiff2_backward(dbndiff2, dbnvar, bndiff2)"};

}  // namespace ninja
