#include "07_logit_maxes/logit_maxes.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// dlogit_maxes[i] is the sum of V terms that cancel exactly in real arithmetic: what is left is
/// rounding noise, tiny next to the terms themselves (the row's sum of |dnorm_logits|).
template <class T>
void check_rounding_noise(const ChapterRun<T>& r, T tolerance) {
    const std::size_t n = r.batch.size();
    BOOST_TEST_REQUIRE(r.g.dlogit_maxes.shape(0) == n);
    T largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const T size = xt::sum(xt::abs(xt::view(r.g.dnorm_logits, i, xt::all())))();
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(size > T(0));
            BOOST_TEST(std::abs(r.g.dlogit_maxes(i, 0)) <= tolerance * size);
        }
        largest = std::max(largest, std::abs(r.g.dlogit_maxes(i, 0)));
    }
    BOOST_TEST_MESSAGE("largest |dlogit_maxes|: " << largest);
}

}  // namespace

BOOST_AUTO_TEST_CASE(is_rounding_noise_on_the_lecture_batch) {
    // float: unit roundoff 6e-8, V = 27 terms; the bound leaves a margin of about ten.
    check_rounding_noise(test::lecture_run(), 1e-5f);
}

BOOST_DATA_TEST_CASE(is_rounding_noise_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    check_rounding_noise(test::run_in_double(c), 1e-13);
}

BOOST_TEST_DECORATOR(*test::about_the_model())
BOOST_DATA_TEST_CASE(central_differences_find_the_loss_flat_in_logit_maxes,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    // Independently of the backward code: perturbing logit_maxes and rerunning the forward pass
    // after it leaves the loss where it was, up to the differences' own noise (about 1e-11),
    // while perturbing norm_logits moves it by amounts of order 1/n.
    ChapterRun<double> r = test::run_in_double(c, {TensorId::logit_maxes, TensorId::norm_logits});
    const double flat = xt::amax(xt::abs(r.expected.dlogit_maxes))();
    const double steep = xt::amax(xt::abs(r.expected.dnorm_logits))();
    BOOST_TEST_MESSAGE("central differences: max |dlogit_maxes| " << flat << ", max |dnorm_logits| "
                                                                  << steep);
    BOOST_TEST(steep > 1e-3);
    BOOST_TEST(flat <= 1e-9);
}

BOOST_AUTO_TEST_CASE(shifting_logit_maxes_leaves_the_loss_unchanged, *test::about_the_model()) {
    // Any per-row constant may replace the maximum: the loss is the same number.
    const Setup s = test::setup_for({2147483647, 32, 64});
    const Params<double> p = cast_params<double>(s.params);
    Forward<double> f;
    forward(f, p, s.batch);
    const double loss = f.loss;
    for (std::size_t i = 0; i < s.batch.size(); ++i) f.logit_maxes(i, 0) += (i % 2 ? 3.0 : -2.5);
    forward(f, p, s.batch, TensorId::norm_logits);
    BOOST_TEST(std::abs(f.loss - loss) <= 1e-12);
    BOOST_TEST_MESSAGE("loss " << loss << ", after shifting logit_maxes " << f.loss);
}

BOOST_AUTO_TEST_CASE(local_rule_is_minus_the_row_sums) {
    // With an upstream gradient whose rows do not sum to zero, the rule shows itself:
    // the broadcast over the columns becomes a sum over them, with the sign of the subtraction.
    const xt::xtensor<double, 2> dnorm_logits{{1, 2, 3}, {-1, 0.5, 4}};
    xt::xtensor<double, 2> dlogit_maxes;
    tested::logit_maxes_backward(dlogit_maxes, dnorm_logits);
    BOOST_TEST_REQUIRE(dlogit_maxes.shape(0) == 2u);
    BOOST_TEST_REQUIRE(dlogit_maxes.shape(1) == 1u);
    BOOST_TEST(dlogit_maxes(0, 0) == -6.0);
    BOOST_TEST(dlogit_maxes(1, 0) == -3.5);
}
