/// @file
/// @brief Chapter 24: the derivation, and the code of the step.
///
/// @section ch24_forward The forward line
/// A transformer (GPT-2, llm.c, every one since) normalises with LayerNorm, not batchnorm. Put in
/// the place of chapter 22's layer, it reads
/// @code
/// hpreact = F.layer_norm(hprebn, (H,), lngain, lnbias)   # eps 1e-5
/// @endcode
/// which, cut into lines as the lecture cuts batchnorm, is
/// @code
/// lnvar_inv = (hprebn.var(1, keepdim=True, unbiased=False) + 1e-5)**-0.5   # (n, 1)
/// lnraw = (hprebn - hprebn.mean(1, keepdim=True)) * lnvar_inv              # (n, H)
/// hpreact = lngain * lnraw + lnbias                                         # (n, H)
/// @endcode
/// The same three steps as batchnorm's: centre, scale by the inverse standard deviation, then a
/// learnt gain and bias. Only the axis is turned by ninety degrees: the statistics are taken over
/// the H features of one example (axis 1), not over the n examples of the batch (axis 0).
///
/// @section ch24_lines Step by step, as chapters 11 to 17 did
/// Cut into the lecture's lines for batchnorm, with the axis turned, the forward pass is
/// @code
/// lnmeani = 1/H*hprebn.sum(1, keepdim=True)                # (n, 1)
/// lndiff = hprebn - lnmeani                                # (n, H)
/// lndiff2 = lndiff**2                                      # (n, H)
/// lnvar = 1/H*lndiff2.sum(1, keepdim=True)                 # (n, 1) biased: 1/H, not 1/(H-1)
/// lnvar_inv = (lnvar + 1e-5)**-0.5                         # (n, 1)
/// lnraw = lndiff * lnvar_inv                               # (n, H)
/// hpreact = lngain * lnraw + lnbias                        # (n, H)
/// @endcode
/// and going back through it one line at a time repeats chapters 11 to 17, each with its sums
/// over the batch (axis 0) turned into sums over the features (axis 1), and n into H:
/// @code
/// dlngain = (lnraw * dhpreact).sum(0)                      # (H,)   chapter 11
/// dlnbias = dhpreact.sum(0)                                # (H,)   chapter 11
/// dlnraw = lngain * dhpreact                               # (n, H) chapter 11
/// dlndiff = lnvar_inv * dlnraw                             # (n, H) chapter 12, the first path
/// dlnvar_inv = (lndiff * dlnraw).sum(1, keepdim=True)      # (n, 1) chapter 12, along the row
/// dlnvar = -0.5 * (lnvar + 1e-5)**-1.5 * dlnvar_inv        # (n, 1) chapter 13
/// dlndiff2 = 1/H * dlnvar                                  # (n, 1) chapter 14
/// dlndiff += 2 * lndiff * dlndiff2                         # (n, H) chapter 15, the second path
/// dlnmeani = -dlndiff.sum(1, keepdim=True)                 # (n, 1) chapter 16
/// dhprebn = dlndiff + 1/H * dlnmeani                       # (n, H) chapter 17
/// @endcode
/// The test of this chapter runs these lines and holds the fused step below to them. The rest of
/// the page collapses them into one expression, as chapter 22 did for batchnorm.
///
/// @section ch24_rows One row at a time
/// Every line above works on each row (each example) separately: nothing mixes two rows. So fix
/// one row and drop its index. For the H features of that row write
/// \f{align*}{
///   x_j &= \mathrm{hprebn}_j, &
///   \mu &= \frac{1}{H}\sum_{m=1}^{H} x_m, &
///   \sigma^2 &= \frac{1}{H}\sum_{m=1}^{H} (x_m - \mu)^2,
///   \\ s &= (\sigma^2 + \epsilon)^{-1/2}, &
///   \hat{x}_j &= (x_j - \mu)\, s, &
///   y_j &= \gamma_j\, \hat{x}_j + \beta_j,
/// \f}
/// where \f$ s \f$ is the row's `lnvar_inv`, \f$ \hat{x}_j \f$ is `lnraw`, \f$ y_j \f$ is
/// `hpreact`, \f$ \gamma_j \f$ and \f$ \beta_j \f$ are feature j's `lngain` and `lnbias`, and the
/// variance is the biased one, \f$ 1/H \f$, as PyTorch's LayerNorm takes it. The gradient
/// arriving from above is \f$ g_j = \partial L / \partial y_j \f$ (`dhpreact`, chapter 10).
///
/// @section ch24_gain The gain and the bias
/// \f$ \gamma_j \f$ and \f$ \beta_j \f$ are used by every row: their gradients are sums over the
/// batch, as batchnorm's were,
/// \f[
///   \frac{\partial L}{\partial \gamma_j} = \sum_{i=1}^{n} g_{ij}\, \hat{x}_{ij}, \qquad
///   \frac{\partial L}{\partial \beta_j} = \sum_{i=1}^{n} g_{ij}.
/// \f]
/// Within a row, the gain differs from feature to feature, so it cannot be taken out of the sums
/// over the features below, as batchnorm's \f$ \gamma \f$ was taken out of the sums over the
/// batch. Give the gradient that reaches \f$ \hat{x}_j \f$ its own name:
/// \f[ d_j = \frac{\partial L}{\partial \hat{x}_j} = \gamma_j\, g_j . \f]
///
/// @section ch24_derivation The derivation, fused
/// Moving one input \f$ x_k \f$ moves \f$ \mu \f$ and \f$ \sigma^2 \f$, and through them every
/// output of the row:
/// \f[
///   \frac{\partial L}{\partial x_k} = \sum_{j=1}^{H} d_j \frac{\partial \hat{x}_j}{\partial x_k},
///   \qquad
///   \frac{\partial \hat{x}_j}{\partial x_k}
///   = s\, \frac{\partial (x_j - \mu)}{\partial x_k} + (x_j - \mu)\, \frac{\partial s}{\partial x_k}.
/// \f]
/// **The centred input.** \f$ \partial \mu / \partial x_k = 1/H \f$, so
/// \f$ \partial (x_j - \mu) / \partial x_k = \delta_{jk} - 1/H \f$.
///
/// **The variance.** As in chapter 22, the deviations sum to zero and the mean's own dependence
/// drops out:
/// \f[
///   \frac{\partial \sigma^2}{\partial x_k}
///   = \frac{2}{H} \sum_{m=1}^{H} (x_m - \mu) \left(\delta_{mk} - \frac{1}{H}\right)
///   = \frac{2}{H} (x_k - \mu).
/// \f]
/// **The inverse standard deviation.**
/// \f[
///   \frac{\partial s}{\partial x_k}
///   = -\frac{1}{2} (\sigma^2 + \epsilon)^{-3/2} \frac{\partial \sigma^2}{\partial x_k}
///   = -\frac{s^3 (x_k - \mu)}{H} = -\frac{s^2\, \hat{x}_k}{H}.
/// \f]
/// **Together.**
/// \f[
///   \frac{\partial \hat{x}_j}{\partial x_k}
///   = s \left( \delta_{jk} - \frac{1}{H} - \frac{\hat{x}_j \hat{x}_k}{H} \right),
/// \f]
/// and the sum over \f$ j \f$: the \f$ \delta_{jk} \f$ term picks \f$ d_k \f$, the \f$ 1/H \f$
/// term collects \f$ \sum_j d_j \f$, the last one \f$ \sum_j d_j \hat{x}_j \f$:
/// \f[
///   \frac{\partial L}{\partial x_k}
///   = \frac{s}{H} \left( H\, d_k - \sum_{j=1}^{H} d_j - \hat{x}_k \sum_{j=1}^{H} d_j \hat{x}_j
///   \right).
/// \f]
/// With every row at once (the sums over the features keep their axis), the three lines of the
/// step:
/// @code
/// dlnbias = dhpreact.sum(0)
/// dlngain = (dhpreact * lnraw).sum(0)
/// dhprebn = lnvar_inv/H * (H*dlnraw - dlnraw.sum(1, keepdim=True) - lnraw*(dlnraw*lnraw).sum(1, keepdim=True))
/// @endcode
/// where `dlnraw = lngain * dhpreact`.
///
/// @section ch24_checks What the formula says
/// - Summed over a row, the gradient vanishes:
///   \f$ \sum_k \partial L/\partial x_k = \frac{s}{H} ( H \sum d - H \sum d - (\sum_k \hat{x}_k)
///   \sum d \hat{x} ) = 0 \f$, since the \f$ \hat{x}_k \f$ of a row sum to zero. Adding a
///   constant to a whole row of `hprebn` changes nothing after the normalisation. Batchnorm's
///   gradient vanished down each column; LayerNorm's vanishes along each row.
/// - The examples are independent again: row i's gradient depends on row i alone. A batch of one
///   is fine (H features give a variance), where batchnorm's \f$ 1/(n-1) \f$ divides by zero.
/// - There is no \f$ n/(n-1) \f$: the variance is the biased one. Keeping Bessel's factor, as in
///   chapter 22, would give \f$ H/(H-1) \f$ in front of the last term, wrong by about 1.6% at
///   H = 64.
///
/// @section ch24_sidebyside Batchnorm and LayerNorm side by side
/// | | batchnorm (chapter 22) | LayerNorm (this chapter) |
/// |---|---|---|
/// | statistics over | the n examples of the batch, per feature (axis 0) | the H features of an example (axis 1) |
/// | mean, inverse std | (1, H) | (n, 1) |
/// | variance | unbiased, \f$ 1/(n-1) \f$ | biased, \f$ 1/H \f$ |
/// | gain and bias | per feature, constant along the normalised axis: \f$ \gamma \f$ leaves the sums | per feature, varies along the normalised axis: \f$ \gamma_j \f$ stays inside |
/// | an example's output depends on | every example of its batch | that example alone |
/// | the gradient of `hprebn` sums to zero | down each column | along each row |
/// | a batch of one | undefined: \f$ n - 1 = 0 \f$ | defined |
/// | at inference | the batch's statistics replaced by the training set's (chapter 23 calibrates them) | the same computation as in training: nothing to calibrate |
#pragma once

#include "10_hpreact/hpreact.hpp"
#include "21_cross_entropy/cross_entropy.hpp"

namespace ninja {

// [step]
/// The fused LayerNorm backward: dhprebn from dhpreact, with the gradients of the gain and the
/// bias on the way.
/// @param[out] dhprebn (n, H)
/// @param[out] dlngain (H,)
/// @param[out] dlnbias (H,)
/// @param dhpreact     (n, H)
/// @param lnraw        (n, H)
/// @param lngain       (H,)
/// @param lnvar_inv    (n, 1)
template <class T>
void layernorm_backward(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 1>& dlngain,
                        xt::xtensor<T, 1>& dlnbias, const xt::xtensor<T, 2>& dhpreact,
                        const xt::xtensor<T, 2>& lnraw, const xt::xtensor<T, 1>& lngain,
                        const xt::xtensor<T, 2>& lnvar_inv) {
    const T H = T(dhpreact.shape(1));
    dlnbias = xt::sum(dhpreact, {0});                    // (H,) dhpreact.sum(0)
    dlngain = xt::sum(dhpreact * lnraw, {0});            // (H,) (dhpreact * lnraw).sum(0)
    const xt::xtensor<T, 2> dlnraw = lngain * dhpreact;  // (n, H) the gain, per feature
    const xt::xtensor<T, 2> sum = xt::sum(dlnraw, {1}, xt::keep_dims);              // (n, 1)
    const xt::xtensor<T, 2> sum_raw = xt::sum(dlnraw * lnraw, {1}, xt::keep_dims);  // (n, 1)
    dhprebn = lnvar_inv / H * (H * dlnraw - sum - lnraw * sum_raw);
}
// [step]

/// Chapter 24: LayerNorm in one step, the batchnorm derivation along the other axis.
template <>
inline constexpr ChapterFacts chapter<24> = {
    "LayerNorm in one step: the batchnorm derivation along the other axis",
    "dhprebn from dhpreact in one expression per element, with dlngain and dlnbias on the way: "
    "LayerNorm in place of batchnorm, its mean and biased variance taken over the H features of "
    "each example. Derive it on paper first, for one row: every feature of the row enters its "
    "mean and its variance.",
    "hpreact = F.layer_norm(hprebn, (H,), lngain, lnbias)",
    "hprebn (n, H) -> hpreact (n, H)",
    "layernorm_backward(dhprebn, dlngain, dlnbias, dhpreact, lnraw, lngain, lnvar_inv)",
    "dhprebn rows"};

}  // namespace ninja
