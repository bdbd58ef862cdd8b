#include "06_norm_logits/norm_logits.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// (probs - one_hot(Yb)) / n, computed directly from the forward pass.
template <class T>
xt::xtensor<T, 2> probs_minus_one_hot_over_n(const ChapterRun<T>& r) {
    xt::xtensor<T, 2> expected = r.f.probs;
    for (std::size_t i = 0; i < r.batch.size(); ++i)
        expected(i, std::size_t(r.batch.Yb(i))) -= T(1);
    return expected / T(r.batch.size());
}

/// Each row of dnorm_logits sums to zero, up to rounding relative to the size of its terms.
template <class T>
void check_rows_sum_to_zero(const ChapterRun<T>& r, T tolerance) {
    for (std::size_t i = 0; i < r.batch.size(); ++i) {
        const auto row = xt::view(r.g.dnorm_logits, i, xt::all());
        const T total = xt::sum(row)(), size = xt::sum(xt::abs(row))();
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(size > T(0));
            BOOST_TEST(std::abs(total) <= tolerance * size);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(is_probs_minus_one_hot_over_n_on_the_lecture_batch) {
    ChapterRun<float> r = test::lecture_run();
    const Comparison c = compare("norm_logits", r.g.dnorm_logits, probs_minus_one_hot_over_n(r));
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
}

BOOST_DATA_TEST_CASE(is_probs_minus_one_hot_over_n_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(c);
    const Comparison cmp = compare("norm_logits", r.g.dnorm_logits, probs_minus_one_hot_over_n(r));
    BOOST_TEST_MESSAGE(format_cmp(cmp));
    BOOST_TEST(cmp.maxdiff <= 1e-14);
}

NINJA_PROPERTY(rows_sum_to_zero, check_rows_sum_to_zero, 1e-5f, 1e-13)
