#include "08_logits/logits.hpp"
#include "chapter_test.hpp"
#include "common/numerical.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// Exercise 2 of the lecture, computed from the logits alone:
/// (softmax(logits) - one_hot(Yb)) / n.
template <class T>
xt::xtensor<T, 2> softmax_minus_one_hot_over_n(const xt::xtensor<T, 2>& logits, const Batch& b) {
    const xt::xtensor<T, 2> maxes = xt::amax(logits, {1}, xt::keep_dims);
    const xt::xtensor<T, 2> e = xt::exp(logits - maxes);
    const xt::xtensor<T, 2> sums = xt::sum(e, {1}, xt::keep_dims);
    xt::xtensor<T, 2> d = e / sums;
    for (std::size_t i = 0; i < b.size(); ++i) d(i, std::size_t(b.Yb(i))) -= T(1);
    return d / T(b.size());
}

/// Each row of dlogits sums to zero, up to rounding relative to the size of its terms.
template <class T>
void check_rows_sum_to_zero(const ChapterRun<T>& r, T tolerance) {
    T worst = 0;
    for (std::size_t i = 0; i < r.batch.size(); ++i) {
        const auto row = xt::view(r.g.dlogits, i, xt::all());
        const T total = xt::sum(row)(), size = xt::sum(xt::abs(row))();
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(size > T(0));
            BOOST_TEST(std::abs(total) <= tolerance * size);
        }
        worst = std::max(worst, std::abs(total));
    }
    BOOST_TEST_MESSAGE("largest |row sum of dlogits|: " << worst);
}

}  // namespace

NINJA_PROPERTY(rows_sum_to_zero, check_rows_sum_to_zero, 1e-5f, 1e-13)

BOOST_AUTO_TEST_CASE(is_softmax_minus_one_hot_over_n_on_the_lecture_batch) {
    ChapterRun<float> r = test::lecture_run();
    const Comparison c =
        compare("logits", r.g.dlogits, softmax_minus_one_hot_over_n(r.f.logits, r.batch));
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
}

BOOST_DATA_TEST_CASE(is_softmax_minus_one_hot_over_n_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(c);
    const Comparison cmp =
        compare("logits", r.g.dlogits, softmax_minus_one_hot_over_n(r.f.logits, r.batch));
    BOOST_TEST_MESSAGE(format_cmp(cmp));
    BOOST_TEST(cmp.maxdiff <= 1e-14);
}

BOOST_AUTO_TEST_CASE(the_max_path_reaches_only_the_first_argmax) {
    // Hand-made rows: a plain maximum, a tie between columns 0 and 1, a tie between 0 and 2,
    // and a maximum in the last column. With ties the whole gradient goes to the first maximal
    // column, as with PyTorch's max(1).
    const xt::xtensor<double, 2> logits{{1, 3, 2}, {5, 5, 1}, {-1, -2, -1}, {0, 0, 7}};
    const xt::xtensor<double, 2> dnorm_logits{{0.5, -1, 2}, {1, 1, 1}, {0, 0.25, 0}, {-3, 0, 1}};
    const xt::xtensor<double, 2> dlogit_maxes{{10}, {20}, {30}, {40}};
    xt::xtensor<double, 2> dlogits;
    tested::logits_backward(dlogits, dnorm_logits, dlogit_maxes, logits);
    const xt::xtensor<double, 2> expected{{0.5, 9, 2}, {21, 1, 1}, {30, 0.25, 0}, {-3, 0, 41}};
    BOOST_TEST_REQUIRE(dlogits.shape(0) == 4u);
    BOOST_TEST_REQUIRE(dlogits.shape(1) == 3u);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST_CONTEXT("(" << i << ", " << j << ")") {
                BOOST_TEST(dlogits(i, j) == expected(i, j));
            }
}

BOOST_AUTO_TEST_CASE(the_max_has_a_one_hot_derivative_by_central_differences) {
    // F(logits) = sum_i w_i * max_j logits[i, j]. Its gradient by central differences must be w_i
    // at each row's argmax and zero elsewhere, which is what the max path of logits_backward
    // gives for the upstream gradient w (and no direct path).
    const Setup s = test::setup_for({2147483647, 32, 64});
    const Params<double> p = cast_params<double>(s.params);
    Forward<double> f;
    forward(f, p, s.batch);
    xt::xtensor<double, 2> logits = f.logits;
    const std::size_t n = logits.shape(0), V = logits.shape(1);
    xt::xtensor<double, 2> w = xt::zeros<double>({n, std::size_t(1)});
    for (std::size_t i = 0; i < n; ++i) w(i, 0) = double(i) - 10.5;
    const double h = 1e-4;  // F is linear near the point: no truncation error, little rounding
    for (std::size_t i = 0; i < n; ++i) {  // no near-tie, so that +-h cannot change the winner
        auto row = xt::view(logits, i, xt::all());
        std::vector<double> sorted(row.begin(), row.end());
        std::sort(sorted.rbegin(), sorted.rend());
        BOOST_TEST_REQUIRE(sorted[0] - sorted[1] > 4 * h);
    }
    const auto F = [&] { return xt::sum(w * xt::amax(logits, {1}, xt::keep_dims))(); };
    xt::xtensor<double, 2> numerical;
    central_differences(numerical, logits, F, h);
    xt::xtensor<double, 2> analytic;
    tested::logits_backward(analytic, xt::xtensor<double, 2>(xt::zeros<double>({n, V})), w, logits);
    const Comparison c = compare("max", analytic, numerical);
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.maxdiff <= 1e-8);
}
