/// @file
/// @brief Chapter 22: the derivation, and the code of the step.
///
/// @section ch22_forward The forward lines
/// Chapters 11 to 17 went back through the batchnorm layer one line at a time:
/// @code
/// bnmeani = 1/n*hprebn.sum(0, keepdim=True)
/// bndiff = hprebn - bnmeani
/// bndiff2 = bndiff**2
/// bnvar = 1/(n-1)*(bndiff2).sum(0, keepdim=True)
/// bnvar_inv = (bnvar + 1e-5)**-0.5
/// bnraw = bndiff * bnvar_inv
/// hpreact = bngain * bnraw + bnbias
/// @endcode
/// Here the whole layer, from `hprebn` (n, H) to `hpreact` (n, H), is differentiated at once,
/// and `dhprebn` follows from `dhpreact` in one expression.
///
/// @section ch22_columns One column at a time
/// Every line above works on each column (each hidden neuron) separately: the mean and the
/// variance are taken over the batch, down a column, and nothing mixes two columns. So fix one
/// column and drop its index. For the n examples of the batch write
/// \f{align*}{
///   x_i &= \mathrm{hprebn}_i, &
///   \mu &= \frac{1}{n}\sum_{m=1}^{n} x_m, &
///   \sigma^2 &= \frac{1}{n-1}\sum_{m=1}^{n} (x_m - \mu)^2,
///   \\ s &= (\sigma^2 + \epsilon)^{-1/2}, &
///   \hat{x}_i &= (x_i - \mu)\, s, &
///   y_i &= \gamma\, \hat{x}_i + \beta,
/// \f}
/// where \f$ s \f$ is `bnvar_inv`, \f$ \hat{x}_i \f$ is `bnraw`, \f$ y_i \f$ is `hpreact`,
/// \f$ \gamma \f$ and \f$ \beta \f$ are this column's `bngain` and `bnbias`, and the variance
/// has Bessel's correction \f$ 1/(n-1) \f$, as in the lecture. The gradient arriving from
/// above is \f$ g_i = \partial L / \partial y_i \f$ (`dhpreact`, chapter 10).
///
/// @section ch22_derivation The derivation
/// Moving one input \f$ x_k \f$ moves \f$ \mu \f$ and \f$ \sigma^2 \f$, and through them
/// *every* output of the column, not only \f$ y_k \f$. The chain rule must therefore sum over
/// all outputs:
/// \f[
///   \frac{\partial L}{\partial x_k} = \sum_{i=1}^{n} g_i \frac{\partial y_i}{\partial x_k}
///   = \gamma \sum_{i=1}^{n} g_i \frac{\partial \hat{x}_i}{\partial x_k}.
/// \f]
/// The product rule splits \f$ \hat{x}_i = (x_i - \mu)\, s \f$ into two parts:
/// \f[
///   \frac{\partial \hat{x}_i}{\partial x_k}
///   = s\, \frac{\partial (x_i - \mu)}{\partial x_k} + (x_i - \mu)\, \frac{\partial s}{\partial x_k}.
/// \f]
/// **The centred input.** With \f$ \delta_{ik} \f$ equal to 1 when \f$ i = k \f$ and 0 otherwise,
/// \f$ \partial x_i / \partial x_k = \delta_{ik} \f$ and \f$ \partial \mu / \partial x_k = 1/n \f$, so
/// \f[ \frac{\partial (x_i - \mu)}{\partial x_k} = \delta_{ik} - \frac{1}{n}. \f]
/// **The variance.** Differentiating each square and using the previous line,
/// \f[
///   \frac{\partial \sigma^2}{\partial x_k}
///   = \frac{2}{n-1} \sum_{m=1}^{n} (x_m - \mu) \left(\delta_{mk} - \frac{1}{n}\right)
///   = \frac{2}{n-1} \left( (x_k - \mu) - \frac{1}{n} \sum_{m=1}^{n} (x_m - \mu) \right)
///   = \frac{2}{n-1} (x_k - \mu),
/// \f]
/// because deviations from the mean sum to zero. (The mean's own dependence on \f$ x_k \f$
/// drops out: the variance is stationary in \f$ \mu \f$.)
///
/// **The inverse standard deviation.** By the power rule and the line above,
/// \f[
///   \frac{\partial s}{\partial x_k}
///   = -\frac{1}{2} (\sigma^2 + \epsilon)^{-3/2} \frac{\partial \sigma^2}{\partial x_k}
///   = -\frac{s^3 (x_k - \mu)}{n-1}
///   = -\frac{s^2\, \hat{x}_k}{n-1}.
/// \f]
/// **Together.** Substituting both parts, and writing \f$ (x_i - \mu)\, s = \hat{x}_i \f$ once more,
/// \f[
///   \frac{\partial \hat{x}_i}{\partial x_k}
///   = s \left(\delta_{ik} - \frac{1}{n}\right) - (x_i - \mu) \frac{s^2 \hat{x}_k}{n-1}
///   = s \left( \delta_{ik} - \frac{1}{n} - \frac{\hat{x}_i \hat{x}_k}{n-1} \right).
/// \f]
/// Now the sum over \f$ i \f$ of the chain rule: the \f$ \delta_{ik} \f$ term picks \f$ g_k \f$,
/// the \f$ 1/n \f$ term collects \f$ \sum_i g_i \f$, the last term \f$ \sum_i g_i \hat{x}_i \f$:
/// \f{align*}{
///   \frac{\partial L}{\partial x_k}
///   &= \gamma s \left( g_k - \frac{1}{n} \sum_{i=1}^{n} g_i
///        - \frac{\hat{x}_k}{n-1} \sum_{i=1}^{n} g_i \hat{x}_i \right)
///   \\ &= \frac{\gamma s}{n} \left( n\, g_k - \sum_{i=1}^{n} g_i
///        - \frac{n}{n-1}\, \hat{x}_k \sum_{i=1}^{n} g_i \hat{x}_i \right).
/// \f}
/// With every column at once, this is the lecture's one line:
/// @code
/// dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
/// @endcode
///
/// @section ch22_sums The two sums are chapter 11's gradients
/// \f$ \sum_i g_i \f$ is `dbnbias` and \f$ \sum_i g_i \hat{x}_i \f$ is `dbngain` (chapter 11:
/// the bias and the gain were broadcast over the batch, so their gradients are these sums). The
/// fused step computes them first and hands them out as by-products; the training loop of
/// chapter 23 uses them to update `bngain` and `bnbias`.
/// In that form
/// \f[
///   \frac{\partial L}{\partial x_k} = \frac{\gamma s}{n}
///   \left( n\, g_k - \mathrm{dbnbias} - \frac{n}{n-1}\, \hat{x}_k\, \mathrm{dbngain} \right).
/// \f]
///
/// @section ch22_checks What the formula says
/// - Summed over the batch, the gradient of a column vanishes:
///   \f$ \sum_k \partial L / \partial x_k = \frac{\gamma s}{n} \left( n \sum g - n \sum g -
///   \frac{n}{n-1} \left(\sum_k \hat{x}_k\right) \sum g \hat{x} \right) = 0 \f$, since the
///   \f$ \hat{x}_k \f$ of a column sum to zero. Adding a constant to a whole column of `hprebn`
///   changes nothing after the normalisation, so the loss cannot feel it.
/// - The first term, \f$ \gamma s\, g_k \f$, is what the gradient would be if \f$ \mu \f$ and
///   \f$ s \f$ were constants; the other two are the corrections for the batch statistics that
///   depend on \f$ x_k \f$ as well. They are the reason why the n examples of a batch are not
///   independent in a network with batchnorm.
/// - The batch needs at least two examples: \f$ n - 1 \f$ divides, as in the variance itself.
///
/// The result agrees with chapters 11-17 composed and with PyTorch's autograd to rounding, not
/// to the bit (the lecture reported a maxdiff of about 9e-10): it is a different sequence of
/// floating-point operations.
///
/// @section ch22_shapes Shapes
/// dhpreact (n, H), bnraw (n, H), bngain (1, H), bnvar_inv (1, H) -> dhprebn (n, H), and the
/// by-products dbngain (1, H) and dbnbias (1, H).
#pragma once

#include "11_batchnorm_scale/batchnorm_scale.hpp"
#include "21_cross_entropy/cross_entropy.hpp"

namespace ninja {

// [step]
/// The fused batchnorm backward, the lecture's expression: dhprebn from dhpreact, with chapter
/// 11's dbngain and dbnbias (the two column sums it needs) on the way.
/// @param[out] dhprebn (n, H)
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
/// @param bnvar_inv    (1, H)
template <class T>
void batchnorm_backward(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 2>& dbngain,
                        xt::xtensor<T, 2>& dbnbias, const xt::xtensor<T, 2>& dhpreact,
                        const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain,
                        const xt::xtensor<T, 2>& bnvar_inv) {
    const T n = T(dhpreact.shape(0));
    dbnbias = xt::sum(dhpreact, {0}, xt::keep_dims);          // (1, H) dhpreact.sum(0)
    dbngain = xt::sum(dhpreact * bnraw, {0}, xt::keep_dims);  // (1, H) (dhpreact * bnraw).sum(0)
    dhprebn = bngain * bnvar_inv / n * (n * dhpreact - dbnbias - n / (n - 1) * bnraw * dbngain);
}
// [step]

/// Chapter 22: batchnorm in one step. Its backward is the fused cross-entropy (21), the second
/// linear layer (09), tanh (10), then the fused batchnorm to `dhprebn`.
template <>
inline constexpr ChapterFacts chapter<22> = {
    "the whole batchnorm layer at once: dhprebn from dhpreact in one expression",
    "dhprebn from dhpreact in one expression per element, without the intermediates of chapters "
    "12 to 17; and, on the way, dbngain and dbnbias (chapter 11's). Derive it on paper first, for "
    "one column: every element of the column enters the mean and the variance.",
    "hpreact = bngain * (hprebn - hprebn.mean(0, keepdim=True)) / torch.sqrt(hprebn.var(0, "
    "keepdim=True, unbiased=True) + 1e-5) + bnbias",
    "hprebn (n, H) -> hpreact (n, H)",
    "batchnorm_backward(dhprebn, dbngain, dbnbias, dhpreact, bnraw, bngain, bnvar_inv)",
    "dhprebn columns"};

}  // namespace ninja
