#include "04_counts_sum/counts_sum.hpp"
#include "chapter_test.hpp"

using namespace ninja;
namespace tt = boost::test_tools;

NINJA_CHAPTER_TESTS()

namespace {

/// dcounts_sum[i] == 1 / (n counts_sum[i]) > 0: chapter 03's -counts_sum/n times the
/// reciprocal's local derivative -1/counts_sum^2.
template <class T>
void check_one_over_n_counts_sum(const ChapterRun<T>& r, T tolerance) {
    const std::size_t n = r.batch.size();
    BOOST_TEST_REQUIRE(r.g.dcounts_sum.shape(0) == n);
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(r.g.dcounts_sum(i, 0) > T(0));
            BOOST_TEST(r.g.dcounts_sum(i, 0) == T(1) / (T(n) * r.f.counts_sum(i, 0)),
                       tt::tolerance(tolerance));
        }
    }
}

}  // namespace

NINJA_PROPERTY(is_one_over_n_counts_sum, check_one_over_n_counts_sum, 1e-6f, 1e-13)

BOOST_AUTO_TEST_CASE(local_derivative_is_minus_one_over_the_square) {
    // d(1/x)/dx = -1/x^2; powers of two keep every value exact:
    // 1 * -1/4 = -0.25;  3 * -1/0.25 = -12;  -8 * -1/16 = 0.5.
    const xt::xtensor<double, 2> counts_sum{{2}, {0.5}, {4}};
    const xt::xtensor<double, 2> dcounts_sum_inv{{1}, {3}, {-8}};
    xt::xtensor<double, 2> dcounts_sum;
    tested::counts_sum_backward(dcounts_sum, dcounts_sum_inv, counts_sum);
    BOOST_TEST_REQUIRE(dcounts_sum.shape(0) == 3u);
    BOOST_TEST_REQUIRE(dcounts_sum.shape(1) == 1u);
    BOOST_TEST(dcounts_sum(0, 0) == -0.25);
    BOOST_TEST(dcounts_sum(1, 0) == -12.0);
    BOOST_TEST(dcounts_sum(2, 0) == 0.5);
}
