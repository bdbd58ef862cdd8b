#include "03_counts_sum_inv/counts_sum_inv.hpp"
#include "chapter_test.hpp"

using namespace ninja;
namespace tt = boost::test_tools;

NINJA_CHAPTER_TESTS()

namespace {

/// dcounts_sum_inv[i] == -counts_sum[i] / n for every row: the sum over the columns keeps only
/// the target's term, because dprobs is zero everywhere else.
template <class T>
void check_minus_counts_sum_over_n(const ChapterRun<T>& r, T tolerance) {
    const std::size_t n = r.batch.size();
    BOOST_TEST_REQUIRE(r.g.dcounts_sum_inv.shape(0) == n);
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(r.g.dcounts_sum_inv(i, 0) == -r.f.counts_sum(i, 0) / T(n),
                       tt::tolerance(tolerance));
        }
    }
}

}  // namespace

NINJA_PROPERTY(is_minus_counts_sum_over_n, check_minus_counts_sum_over_n, 1e-6f, 1e-13)

BOOST_AUTO_TEST_CASE(the_broadcast_over_columns_becomes_a_sum_over_columns) {
    // An upstream gradient that is not one-hot, so that every column's term counts:
    // row 0: 1*1 + 2*0 + 3*(-1) = -2;  row 1: 4*0.5 + 5*(-1) + 6*2 = 9.
    const xt::xtensor<double, 2> counts{{1, 2, 3}, {4, 5, 6}};
    const xt::xtensor<double, 2> dprobs{{1, 0, -1}, {0.5, -1, 2}};
    xt::xtensor<double, 2> dcounts_sum_inv;
    tested::counts_sum_inv_backward(dcounts_sum_inv, dprobs, counts);
    BOOST_TEST_REQUIRE(dcounts_sum_inv.shape(0) == 2u);
    BOOST_TEST_REQUIRE(dcounts_sum_inv.shape(1) == 1u);
    BOOST_TEST(dcounts_sum_inv(0, 0) == -2.0);
    BOOST_TEST(dcounts_sum_inv(1, 0) == 9.0);
}
