#include "08_logits/logits.hpp"
#include "21_cross_entropy/cross_entropy.hpp"
#include "21_cross_entropy/cross_entropy_fast.hpp"
#include "chapter_test.hpp"
#include "common/plot.hpp"

#include <cmath>
#include <limits>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// Chapters 01-08 composed, on the same forward pass as `r`.
template <class T>
xt::xtensor<T, 2> composed_dlogits(const ChapterRun<T>& r) {
    Grads<T> g;
    backward<8>(g, r.f, r.params, r.batch);
    return g.dlogits;
}

/// How far the fast pass and the plain step may be apart. Both compute each entry as
/// (p - [j = y]) / n with 0 <= p <= 1, p from the same exponentials but through other operations
/// (a reciprocal and a product against one division, other summation orders): a few roundings
/// of numbers at most 1 in size, then the division by n. Four units of the last place of 1,
/// divided by n, bound them.
template <class T>
double fast_pass_bound(std::size_t n) {
    return 4 * double(std::numeric_limits<T>::epsilon()) / double(n);
}

/// cross_entropy_backward_fast(), the trainer's pass on raw buffers, on tensors: writes
/// `dlogits` (n, V), resized to the shape of `logits`, and returns the loss.
template <class T>
T fast_pass(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
            const xt::xtensor<std::int64_t, 1>& Yb) {
    dlogits.resize(logits.shape());
    return cross_entropy_backward_fast(dlogits.data(), logits.data(), Yb.data(), logits.shape(0),
                                       logits.shape(1));
}

}  // namespace

BOOST_AUTO_TEST_CASE(within_1e8_of_pytorch) {
    // The lecture: exact False, approximate True, maxdiff about 5e-9.
    ChapterRun<float> r = test::lecture_run();
    const Comparison c = compare("logits", r.g.dlogits, r.expected.dlogits);
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
}

BOOST_AUTO_TEST_CASE(agrees_with_chapters_01_to_08_composed) {
    ChapterRun<float> r = test::lecture_run();
    const Comparison c = compare("logits", r.g.dlogits, composed_dlogits(r));
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
}

BOOST_DATA_TEST_CASE(agrees_with_chapters_01_to_08_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(c);
    const Comparison cmp = compare("logits", r.g.dlogits, composed_dlogits(r));
    BOOST_TEST(cmp.maxdiff <= 1e-15);
}

BOOST_AUTO_TEST_CASE(rows_sum_to_zero) {
    // The pull on the target equals the pushes on the rest: every row sums to zero, up to the
    // rounding of 27 float terms of size at most 1/n.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.batch.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = xt::view(r.g.dlogits, i, xt::all());
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(std::abs(xt::sum(row)()) <= 5e-8f);
            const auto y = std::size_t(r.batch.Yb(i));
            BOOST_TEST(row(y) < 0.f);  // the target's entry is negative (descent raises it) ...
            for (std::size_t j = 0; j < row.size(); ++j)
                if (j != y) BOOST_TEST(row(j) > 0.f);  // ... every other one positive
        }
    }
}

BOOST_AUTO_TEST_CASE(the_fast_pass_is_the_plain_step_and_gives_the_loss, *test::about_the_model()) {
    // cross_entropy_backward_fast (one pass on raw buffers, the fast trainer's) against the
    // plain step: the same gradient to float rounding, and PyTorch's loss as a by-product.
    ChapterRun<float> r = test::lecture_run();
    xt::xtensor<float, 2> dlogits;
    const float loss = fast_pass(dlogits, r.f.logits, r.batch.Yb);
    const float expected = Reference("lecture").load<float, 1>("loss")(0);
    BOOST_TEST(loss == expected, boost::test_tools::tolerance(1e-6f));
    const Comparison c = compare("logits", dlogits, r.g.dlogits);
    BOOST_TEST_MESSAGE("fast against plain: " << format_cmp(c));
    BOOST_TEST(c.maxdiff <= fast_pass_bound<float>(r.batch.size()));
}

BOOST_TEST_DECORATOR(*test::about_the_model())
BOOST_DATA_TEST_CASE(the_fast_pass_is_the_plain_step_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(test::setup_for(c));
    xt::xtensor<double, 2> dlogits;
    fast_pass(dlogits, r.f.logits, r.batch.Yb);
    BOOST_TEST(compare("logits", dlogits, r.g.dlogits).maxdiff <=
               fast_pass_bound<double>(r.batch.size()));
}

BOOST_AUTO_TEST_CASE(huge_logits_do_not_overflow) {
    // exp(1000) overflows float; the shift by the row maximum makes it harmless, and a constant
    // added to a row changes neither the gradient nor the loss.
    ChapterRun<float> r = test::lecture_run();
    const xt::xtensor<float, 2> shifted = r.f.logits + 1000.f;
    xt::xtensor<float, 2> d0, d1, plain;
    const float loss0 = fast_pass(d0, r.f.logits, r.batch.Yb);
    const float loss1 = fast_pass(d1, shifted, r.batch.Yb);
    tested::cross_entropy_backward(plain, shifted, r.batch.Yb);
    BOOST_TEST(xt::allclose(plain, d1, 1e-5, 1e-8));
    BOOST_TEST(std::isfinite(loss1));
    BOOST_TEST(loss1 == loss0, boost::test_tools::tolerance(1e-3f));  // 1000 + z rounds z
    BOOST_TEST(xt::all(xt::isfinite(d1)));
    BOOST_TEST(xt::allclose(d1, d0, 1e-2, 1e-4));
}

BOOST_AUTO_TEST_CASE(the_picture_shows_the_target_negative_and_the_rest_positive) {
    // The heatmap of dlogits: on the diverging scale a row's target entry is blue (negative) and
    // every other entry red or near white (positive, most of them small).
    ChapterRun<float> r = test::lecture_run();
    const double scale = double(xt::amax(xt::abs(r.g.dlogits))());
    for (std::size_t i = 0; i < r.batch.size(); ++i)
        for (std::size_t j = 0; j < r.g.dlogits.shape(1); ++j) {
            const std::uint32_t rgb = plot::diverging_colour(r.g.dlogits(i, j), scale);
            const int red = int(rgb >> 16), blue = int(rgb & 0xff);
            BOOST_TEST_CONTEXT("(" << i << ", " << j << ")") {
                if (j == std::size_t(r.batch.Yb(i)))
                    BOOST_TEST(blue > red);
                else
                    BOOST_TEST(red >= blue);
            }
        }
}
