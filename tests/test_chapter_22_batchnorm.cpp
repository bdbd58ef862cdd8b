#define BOOST_TEST_MODULE chapter_22_batchnorm
#include "17_hprebn/hprebn.hpp"
#include "22_batchnorm/batchnorm.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS(BatchnormChapter)

BOOST_AUTO_TEST_CASE(within_1e8_of_pytorch) {
    // The lecture: approximate True, maxdiff about 9e-10.
    ChapterRun<float> r = run_on_pytorch_reference<BatchnormChapter>(Reference("lecture"));
    for (const char* name : {"hprebn", "bngain", "bnbias"}) {
        const std::vector<Comparison> c = compare_grads(r, {name});
        BOOST_TEST_REQUIRE(c.size() == 1u);
        BOOST_TEST_MESSAGE(format_cmp(c[0]));
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(c[0].approximate);
            BOOST_TEST(c[0].maxdiff <= 1e-8);
        }
    }
}

BOOST_AUTO_TEST_CASE(agrees_with_chapters_11_to_17_composed) {
    ChapterRun<float> r = run_on_pytorch_reference<BatchnormChapter>(Reference("lecture"));
    Grads<float> composed;
    HprebnChapter::backward(composed, r.f, r.params, r.batch);
    const Comparison c = compare("hprebn", r.g.dhprebn, composed.dhprebn);
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
    // The two sums of the fused step are chapter 11's dbngain and dbnbias.
    BOOST_TEST(compare("bngain", r.g.dbngain, composed.dbngain).maxdiff <= 1e-8);
    BOOST_TEST(compare("bnbias", r.g.dbnbias, composed.dbnbias).maxdiff <= 1e-8);
}

namespace {

/// Setups for the finite differences: the smallest batch, an odd one, and the lecture's.
const std::vector<test::NumericalCase> batch_cases{
    {2147483647, 2, 64}, {2147483647, 3, 64}, {2147483647, 32, 64}, {11, 2, 3}, {11, 3, 200}};

}  // namespace

BOOST_DATA_TEST_CASE(matches_central_differences_for_batches_of_2_3_and_32,
                     boost::unit_test::data::make(batch_cases), c) {
    // dhprebn and the by-products dbngain and dbnbias, in double, against the loss itself.
    const std::vector<std::string> names{"hprebn", "bngain", "bnbias"};
    ChapterRun<double> r = run_on_numerical_reference<BatchnormChapter>(
        test::setup_for(c), [&](std::string_view n) {
            return std::find(names.begin(), names.end(), n) != names.end();
        });
    test::require_close(compare_grads(r, names), names.size());
}

BOOST_DATA_TEST_CASE(columns_sum_to_zero, boost::unit_test::data::make(batch_cases), c) {
    // A constant added to a column of hprebn is removed by the mean: the loss cannot feel it.
    ChapterRun<double> r = run_on_numerical_reference<BatchnormChapter>(
        test::setup_for(c), [](std::string_view) { return false; });
    const xt::xtensor<double, 1> sums = xt::sum(r.g.dhprebn, {0});
    const double largest = xt::amax(xt::abs(r.g.dhprebn))();
    BOOST_TEST(xt::amax(xt::abs(sums))() <= 1e-14 * std::max(1.0, largest) * double(c.batch_size));
}

BOOST_AUTO_TEST_CASE(the_sums_are_chapter_11s_formulas) {
    ChapterRun<float> r = run_on_pytorch_reference<BatchnormChapter>(Reference("lecture"));
    xt::xtensor<float, 2> dbngain, dbnbias, dbnraw;
    batchnorm_scale_backward(dbngain, dbnbias, dbnraw, r.g.dhpreact, r.f.bnraw, r.params.bngain);
    BOOST_TEST(xt::allclose(r.g.dbngain, dbngain, 1e-6, 1e-9));
    BOOST_TEST(xt::allclose(r.g.dbnbias, dbnbias, 1e-6, 1e-9));
}
