/// @file
/// @brief Oracle 2: gradients by central differences of the loss, for any seed and size.
///
/// @section numerical_budget The error budget
/// A chapter's float64 gradient `dt` passes when, elementwise, |dt - num| <= atol + rtol |num|
/// (torch.allclose's atol = 1e-8, rtol = 1e-5; common/cmp.hpp). The oracle `num` must
/// therefore be within that budget of the true derivative whatever the seed and the batch
/// size, or it calls a correct gradient wrong. Its error has two parts:
/// - truncation: a central difference with step h is L' + L''' h^2/6 + L^(5) h^4/120 + ...;
/// - rounding: each loss carries a rounding error of about rho = 1e-15 (a few units in the last
///   place of a loss near 3, summed over the batch), which the difference turns into rho / h.
///
/// No single step suits every element. Most elements of this model see the loss vary on a
/// scale of 1 or more, but batchnorm puts a singularity at bnvar = -1e-5: perturbing `bnvar`
/// itself, the loss varies on the scale d = bnvar + 1e-5, which at batch size 2 is often
/// about 1e-5 (the two rows of a column nearly equal), and the truncation error of a fixed step
/// h = 1e-5 is then of the order of the derivative itself (seed 99, batch size 2 gave
/// maxdiff 788.6). Upstream of bnvar (bndiff2, bndiff, hprebn, W1, ...) the same singularity
/// sits at a distance of about sqrt(1e-5) per unit of the element's effect.
///
/// So each element gets its own step, by Richardson extrapolation in Ridders' tableau:
/// differences D(h_k) at steps h_k = h_0 / 2^k, h_0 = 1e-4 max(1, |x|); row k combines
/// D(h_k) with the rows above it into estimates whose truncation error is O(h_k^4) and
/// O(h_k^6) (levels 1, 2: a[j][k] = a[j-1][k] + (a[j-1][k] - a[j-1][k-1]) / (4^j - 1)).
/// Each estimate comes with an error estimate, the larger of its distances to the two
/// estimates it was made from; where the differences follow their Taylor series, that is about
/// the error of the less accurate of those two, of a lower order in h than the estimate's own:
/// an overestimate, which errs on the safe side. Steps are halved until the
/// best estimate's error estimate is at most 1% of the comparison's budget,
/// 0.01 (atol + rtol |num|) (mostly after 2 steps: 4 losses; 4.0 to 4.8 on average). h_0 is
/// small enough that the rounding error, 1e-15 / 1e-4 = 1e-11, stays within 1% of atol, and
/// that the truncation error is in its asymptotic regime for all but the elements nearest the
/// singularity (with 1e-3, early estimates of dbnmeani were off by 3 times their error
/// estimate, though still within 1.5% of the budget). A step too large
/// for the element (across the singularity, where the loss is NaN, or where the loss is far
/// from its Taylor polynomial) gives estimates that disagree; they are passed over, and no
/// estimate uses differences more than 3 rows apart (levels 0 to 2 only), so that the ones of
/// too large steps drop out of the tableau. Halving stops at h = 2^-30 h_0 (about 1e-9 h_0),
/// where rho / h has long exceeded any budget; the estimate with the smallest error estimate is
/// then returned, and its error estimate tells how far it can be trusted.
///
/// The whole budget is then: the oracle's error, at most 1% of it by its estimate, plus the
/// chapter's own float64 rounding, a few units in the last place of the terms each gradient
/// element sums: a correct gradient passes with a margin of about 100, and a wrong one is held
/// to the same tolerance as before. tests/test_numerical_sweep.cpp checks it for every chapter over
/// 40 seeds at batch sizes 2 and 3; the largest share of the budget it measured was 0.6%
/// (dW1, chapter 18).
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <type_traits>
#include <vector>

#include "common/cmp.hpp"
#include "common/model.hpp"

namespace ninja {

/// A step for central differences of a function that is linear or nearly so (where the
/// truncation error vanishes and a fixed step is right); the loss's oracle adapts its steps.
inline constexpr double default_fd_step = 1e-5;

/// The derivative of `loss` with respect to `x.flat(i)` by one central difference of step `h`:
/// (L(x + h) - L(x - h)) divided by the distance between the two points as stored (so that the
/// rounding of x +- h is no error). `x` is restored.
template <class Tensor, class Loss>
double central_difference(Tensor& x, std::size_t i, Loss& loss, double h) {
    using T = typename Tensor::value_type;
    const T saved = x.flat(i);
    x.flat(i) = saved + T(h);
    const double up = double(x.flat(i)), plus = double(loss());
    x.flat(i) = saved - T(h);
    const double down = double(x.flat(i)), minus = double(loss());
    x.flat(i) = saved;
    return (plus - minus) / (up - down);
}

/// Fills `grad` (shaped like `x`) with one central difference of step `h` for every element,
/// where `loss()` recomputes the loss from the current value of `x`. `x` is restored.
template <class Tensor, class Loss>
void central_differences(Tensor& grad, Tensor& x, Loss&& loss, double h) {
    using T = typename Tensor::value_type;
    grad = xt::zeros_like(x);
    for (std::size_t i = 0; i < x.size(); ++i) grad.flat(i) = T(central_difference(x, i, loss, h));
}

/// A derivative and the estimate of its error.
struct Derivative {
    double value = 0;                                   ///< the best estimate
    double error = std::numeric_limits<double>::max();  ///< its estimated error
    int losses = 0;                                     ///< how many losses it took
};

/// The error an oracle's derivative may have: 1% of the comparison's budget at `value`.
inline double oracle_tolerance(double value) {
    return 0.01 * (allclose_atol + allclose_rtol * std::abs(value));
}

/// The derivative at `x.flat(i)` by Richardson extrapolation of central differences (Ridders'
/// tableau; see the budget at the top of this file).
template <class Tensor, class Loss>
Derivative richardson_derivative(Tensor& x, std::size_t i, Loss& loss) {
    constexpr int max_rows = 31, levels = 2;
    double row[levels + 1], above[levels + 1];  // a[0..levels][k], a[0..levels][k - 1]
    Derivative best;
    double h = 1e-4 * std::max(1.0, std::abs(double(x.flat(i))));
    for (int k = 0; k < max_rows; ++k, h /= 2) {
        row[0] = central_difference(x, i, loss, h);
        best.losses += 2;
        double factor = 4;
        for (int j = 1; j <= std::min(k, levels); ++j, factor *= 4) {
            row[j] = row[j - 1] + (row[j - 1] - above[j - 1]) / (factor - 1);
            const double error =
                std::max(std::abs(row[j] - row[j - 1]), std::abs(row[j] - above[j - 1]));
            if (error < best.error) best.value = row[j], best.error = error;  // NaN: passed over
        }
        if (best.error <= oracle_tolerance(best.value)) break;
        std::copy(row, row + levels + 1, above);
    }
    return best;
}

/// What the oracle reports on its way: work done out of all the work, in units of a line of the
/// forward pass per element (a parameter's element reruns every line, an intermediate's only
/// those after it), so that the share done is roughly the share of the time.
using OracleProgress = std::function<void(std::size_t done, std::size_t total)>;

/// What the oracle measured about itself, for the tests and the reports.
struct OracleReport {
    std::size_t elements = 0;    ///< derivatives computed
    std::size_t losses = 0;      ///< losses computed for them
    std::size_t unresolved = 0;  ///< elements whose error estimate exceeds oracle_tolerance
    double worst_fraction = 0;   ///< the largest error estimate / oracle_tolerance (NaN-aware)
};

/// Fills `grad` (shaped like `x`) with the derivative of `loss()` with respect to every element
/// of `x` (richardson_derivative), adding to `report`; calls `done_one()` after each element.
template <class Tensor, class Loss, class Step>
void richardson_differences(Tensor& grad, Tensor& x, Loss&& loss, OracleReport& report,
                            Step&& done_one) {
    using T = typename Tensor::value_type;
    grad = xt::zeros_like(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const Derivative d = richardson_derivative(x, i, loss);
        grad.flat(i) = T(d.value);
        const double fraction = d.error / oracle_tolerance(d.value);
        report.elements += 1, report.losses += std::size_t(d.losses);
        report.unresolved += !(fraction <= 1);
        report.worst_fraction = nan_max(report.worst_fraction, fraction);
        done_one();
    }
}

/// The lines of the forward pass (the loss's included) rerun after a change of tensor `id`.
inline std::size_t rerun_lines(TensorId id) {
    return info(id).kind == Kind::parameter
               ? std::size_t(intermediate_count) + 1
               : std::size_t(intermediate_count - forward_position(id));
}

/// Fills the gradient of every tensor in `wanted` by Richardson-extrapolated central
/// differences: a parameter is perturbed and the whole forward pass rerun; an intermediate is
/// perturbed and only the forward pass after it rerun (the tensors before it are held fixed,
/// which is exactly what the partial derivative with respect to that intermediate means).
/// Returns what the oracle measured about its own accuracy and cost.
template <class T>
OracleReport numerical_grads(Grads<T>& g, const Params<T>& params, const Batch& batch,
                             const std::vector<TensorId>& wanted,
                             const OracleProgress& progress = {}) {
    Params<T> p = params;
    Forward<T> f;
    forward(f, p, batch);
    std::size_t total = 0, done = 0;
    for (TensorId id : wanted)
        visit_tensor(id, p, f, [&](const auto& x) { total += x.size() * rerun_lines(id); });
    OracleReport report;
    for (TensorId id : wanted) {
        const auto done_one = [&, lines = rerun_lines(id)] {
            if (progress) progress(done += lines, total);
        };
        const bool is_parameter = info(id).kind == Kind::parameter;
        const Stage rerun_from = is_parameter ? Stage::first() : Stage::after(id);
        g.visit(id, [&](auto& grad) {
            visit_tensor(id, p, f, [&](auto& x) {
                if constexpr (std::is_same_v<std::decay_t<decltype(x)>,
                                             std::decay_t<decltype(grad)>>)
                    richardson_differences(
                        grad, x,
                        [&] {
                            forward(f, p, batch, rerun_from);
                            return f.loss;
                        },
                        report, done_one);
            });
        });
        forward(f, p, batch);  // undo the partial reruns
    }
    return report;
}

}  // namespace ninja
