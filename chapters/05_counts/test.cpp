#include "05_counts/counts.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;
namespace tt = boost::test_tools;

NINJA_CHAPTER_TESTS()

namespace {

/// In each row, every wrong column receives only the contribution through counts_sum, the
/// same number dcounts_sum[i] (a sum becomes a broadcast); the target column receives it plus
/// the contribution through probs: in all, (1/counts_sum - 1/counts[y]) / n.
template <class T>
void check_the_two_contributions(const ChapterRun<T>& r, T tolerance) {
    const std::size_t n = r.batch.size(), V = r.f.counts.shape(1);
    BOOST_TEST_REQUIRE(r.g.dcounts.shape(0) == n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto y = std::size_t(r.batch.Yb(i));
        BOOST_TEST_CONTEXT("row " << i) {
            for (std::size_t j = 0; j < V; ++j)
                if (j != y) BOOST_TEST(r.g.dcounts(i, j) == r.g.dcounts_sum(i, 0));
            BOOST_TEST(
                r.g.dcounts(i, y) == (T(1) / r.f.counts_sum(i, 0) - T(1) / r.f.counts(i, y)) / T(n),
                tt::tolerance(tolerance));
            BOOST_TEST(r.g.dcounts(i, y) < T(0));
        }
    }
}

/// Scaling a row of counts by a common factor leaves probs and the loss unchanged, so the
/// derivative in that direction, sum_j counts[i, j] * dcounts[i, j], vanishes. The contribution
/// through probs alone gives -1/n there: the one through counts_sum is what cancels it.
template <class T>
void check_scale_invariance(const ChapterRun<T>& r, T tolerance) {
    const std::size_t n = r.batch.size();
    xt::xtensor<T, 2> through_probs_only;
    tested::counts_backward(through_probs_only, r.g.dprobs, r.f.counts_sum_inv,
                            xt::xtensor<T, 2>(xt::zeros_like(r.g.dcounts_sum)));
    const xt::xtensor<T, 2> both = r.f.counts * r.g.dcounts;
    const xt::xtensor<T, 2> one = r.f.counts * through_probs_only;
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            const auto row = xt::view(both, i, xt::all());
            const T total = xt::sum(row)(), size = xt::sum(xt::abs(row))();
            BOOST_TEST(size > T(0));
            BOOST_TEST(std::abs(total) <= tolerance * size);
            BOOST_TEST(xt::sum(xt::view(one, i, xt::all()))() == -T(1) / T(n),
                       tt::tolerance(tolerance));
        }
    }
}

}  // namespace

NINJA_PROPERTY(both_contributions, check_the_two_contributions, 1e-5f, 1e-12)

NINJA_PROPERTY(scaling_a_row_of_counts_is_free, check_scale_invariance, 1e-5f, 1e-12)
