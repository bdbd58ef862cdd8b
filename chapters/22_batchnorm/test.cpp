#include "17_hprebn/hprebn.hpp"
#include "22_batchnorm/batchnorm.hpp"
#include "22_batchnorm/batchnorm_fast.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(within_1e8_of_pytorch) {
    // The lecture: approximate True, maxdiff about 9e-10.
    ChapterRun<float> r = test::lecture_run();
    for (const TensorId name : {TensorId::hprebn, TensorId::bngain, TensorId::bnbias}) {
        const std::vector<Comparison> c = compare_grads(r, {name});
        BOOST_TEST_REQUIRE(c.size() == 1u);
        BOOST_TEST_MESSAGE(format_cmp(c[0]));
        BOOST_TEST_CONTEXT(info(name).name) {
            BOOST_TEST(c[0].approximate);
            BOOST_TEST(c[0].maxdiff <= 1e-8);
        }
    }
}

namespace {

/// Chapters 11 to 17 one after another, from the dhpreact the fused step was given: the two sides
/// then differ only in how they compute the batchnorm, not in what flowed into it.
Grads<float> composed_batchnorm(const ChapterRun<float>& r) {
    Grads<float> g;
    const Forward<float>& f = r.f;
    batchnorm_scale_backward(g.dbngain, g.dbnbias, g.dbnraw, r.g.dhpreact, f.bnraw,
                             r.params.bngain);                                // 11
    bnvar_inv_backward(g.dbnvar_inv, g.dbnraw, f.bndiff);                     // 12
    bnvar_backward(g.dbnvar, g.dbnvar_inv, f.bnvar);                          // 13
    bndiff2_backward(g.dbndiff2, g.dbnvar, f.bndiff2);                        // 14
    bndiff_backward(g.dbndiff, g.dbnraw, f.bnvar_inv, g.dbndiff2, f.bndiff);  // 15
    bnmeani_backward(g.dbnmeani, g.dbndiff);                                  // 16
    hprebn_backward(g.dhprebn, g.dbndiff, g.dbnmeani, f.hprebn);              // 17
    return g;
}

/// Per column, how far two float32 sums of the same n terms in different orders can be apart:
/// each is within gamma_n * sum |term| of the exact sum (Higham, Accuracy and Stability of
/// Numerical Algorithms, 2nd ed., eq. 4.4; n rather than n - 1 covers rounding each term too).
xt::xtensor<double, 2> sum_order_bound(const xt::xtensor<float, 2>& terms) {
    const double n = double(terms.shape(0));
    const double u = std::ldexp(1.0, -24);  // float32's unit roundoff
    const double gamma_n = n * u / (1.0 - n * u);
    const xt::xtensor<double, 2> abs_terms = xt::abs(xt::cast<double>(terms));      // (n, H)
    const xt::xtensor<double, 2> abs_sum = xt::sum(abs_terms, {0}, xt::keep_dims);  // (1, H)
    return 2.0 * gamma_n * abs_sum;
}

/// True when every column of `a` and `b` is within its own bound.
bool within(const xt::xtensor<float, 2>& a, const xt::xtensor<float, 2>& b,
            const xt::xtensor<double, 2>& bound) {
    const xt::xtensor<double, 2> diff = xt::abs(xt::cast<double>(a) - xt::cast<double>(b));
    return xt::all(diff <= bound);
}

/// Setups for the finite differences: the smallest batch, an odd one, and the lecture's.
const std::vector<test::NumericalCase> batch_cases{
    {2147483647, 2, 64}, {2147483647, 3, 64}, {2147483647, 32, 64}, {11, 2, 3}, {11, 3, 200}};

}  // namespace

BOOST_AUTO_TEST_CASE(agrees_with_chapters_11_to_17_composed) {
    ChapterRun<float> r = test::lecture_run();
    const Grads<float> composed = composed_batchnorm(r);
    const Comparison c = compare("hprebn", r.g.dhprebn, composed.dhprebn);
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
    // The two sums of the fused step are chapter 11's dbngain and dbnbias, added in another order.
    const xt::xtensor<float, 2> gain_terms = r.g.dhpreact * r.f.bnraw;  // (n, H)
    BOOST_TEST(within(r.g.dbngain, composed.dbngain, sum_order_bound(gain_terms)));
    BOOST_TEST(within(r.g.dbnbias, composed.dbnbias, sum_order_bound(r.g.dhpreact)));
    BOOST_TEST(xt::allclose(r.g.dbngain, composed.dbngain, 1e-6, 1e-9));
    BOOST_TEST(xt::allclose(r.g.dbnbias, composed.dbnbias, 1e-6, 1e-9));
}

BOOST_DATA_TEST_CASE(matches_central_differences_for_batches_of_2_3_and_32,
                     boost::unit_test::data::make(batch_cases), c) {
    // dhprebn and the by-products dbngain and dbnbias, in double, against the loss itself.
    const std::vector<TensorId> names{TensorId::hprebn, TensorId::bngain, TensorId::bnbias};
    ChapterRun<double> r = test::run_in_double(c, names);
    test::require_close(compare_grads(r, names), names.size());
}

BOOST_DATA_TEST_CASE(columns_sum_to_zero, boost::unit_test::data::make(batch_cases), c) {
    // A constant added to a column of hprebn is removed by the mean: the loss cannot feel it.
    ChapterRun<double> r = test::run_in_double(c);
    const xt::xtensor<double, 1> sums = xt::sum(r.g.dhprebn, {0});
    const double largest = xt::amax(xt::abs(r.g.dhprebn))();
    BOOST_TEST(xt::amax(xt::abs(sums))() <= 1e-14 * std::max(1.0, largest) * double(c.batch_size));
}

BOOST_TEST_DECORATOR(*test::about_the_model())
BOOST_DATA_TEST_CASE(the_fast_step_is_the_plain_step,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    // batchnorm_backward_fast (raw buffers, SIMD column sums: the fast trainer's) against the
    // plain step on the same inputs. Both add the rows of a column in order, so the sums agree
    // to the bit; dhprebn's expression is evaluated in another order, to rounding.
    const ChapterRun<double> r = test::run_in_double(test::setup_for(c));
    const std::size_t n = r.g.dhpreact.shape(0), H = r.g.dhpreact.shape(1);
    xt::xtensor<double, 2> dhprebn = xt::xtensor<double, 2>::from_shape({n, H});
    xt::xtensor<double, 2> dbngain = xt::xtensor<double, 2>::from_shape({1, H}), dbnbias = dbngain;
    std::vector<double> gain_inv_n(H);  // (H,)
    batchnorm_backward_fast(dhprebn.data(), dbngain.data(), dbnbias.data(), gain_inv_n.data(),
                            r.g.dhpreact.data(), r.f.bnraw.data(), r.params.bngain.data(),
                            r.f.bnvar_inv.data(), n, H);
    BOOST_TEST(dbngain == r.g.dbngain);
    BOOST_TEST(dbnbias == r.g.dbnbias);
    const double scale = xt::amax(xt::abs(r.g.dhprebn))();
    BOOST_TEST(compare("hprebn", dhprebn, r.g.dhprebn).maxdiff <= 1e-14 * scale);
}
