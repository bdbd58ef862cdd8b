#include "16_bnmeani/bnmeani.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// The largest |a - b| over the H columns, relative to `scale` (a (1, H) row of magnitudes).
template <class A, class B, class S>
double worst_miss(const A& a, const B& b, const S& scale) {
    double worst = 0;
    for (std::size_t j = 0; j < a.shape(1); ++j)
        worst = std::max(worst, std::abs(double(a(0, j)) - double(b(0, j))) / double(scale(0, j)));
    return worst;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_row_of_H_minus_the_column_sums_of_pytorchs_dbndiff) {
    // bnmeani (1, H) was broadcast over the n rows: its gradient is (1, H), a sum over the
    // batch axis. Checked against -sum(0) of PyTorch's own dbndiff, not of the code's.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t H = r.f.hprebn.shape(1);
    BOOST_TEST_REQUIRE(r.g.dbnmeani.dimension() == 2u);
    BOOST_TEST_REQUIRE(r.g.dbnmeani.shape(0) == 1u);
    BOOST_TEST_REQUIRE(r.g.dbnmeani.shape(1) == H);
    const xt::xtensor<float, 2> expected = -xt::sum(r.expected.dbndiff, {0}, xt::keep_dims);
    const xt::xtensor<float, 2> scale = xt::sum(xt::abs(r.expected.dbndiff), {0}, xt::keep_dims);
    const double miss = worst_miss(r.g.dbnmeani, expected, scale);
    BOOST_TEST_MESSAGE("dbnmeani vs -dbndiff.sum(0) of PyTorch: largest miss "
                       << miss << " of the column's size");
    BOOST_TEST(miss <= 1e-5);
}

BOOST_TEST_DECORATOR(*test::about_the_model())
BOOST_DATA_TEST_CASE(the_relation_holds_between_central_differences,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    // The relation dbnmeani = -dbndiff.sum(0) is a fact about the loss, not about the code:
    // it holds between the two gradients measured by central differences alone.
    ChapterRun<double> r = test::run_in_double(c, {TensorId::bnmeani, TensorId::bndiff});
    BOOST_TEST_REQUIRE(r.expected.dbnmeani.shape(0) == 1u);
    const xt::xtensor<double, 2> summed = -xt::sum(r.expected.dbndiff, {0}, xt::keep_dims);
    const Comparison measured = compare("bnmeani", summed, r.expected.dbnmeani);
    BOOST_TEST_MESSAGE(
        "-dbndiff.sum(0) vs dbnmeani, both by central differences: " << format_cmp(measured));
    BOOST_TEST(measured.approximate);
}

namespace {

/// How far dbnmeani is from -bngain * bnvar_inv * dbnbias (with `dbnbias` given), relative to
/// the size of the terms it sums: the variance path's share of the column sum vanishes (dbndiff2
/// is constant down a column and the deviations sum to zero), a relation the code does not use.
template <class T>
double miss_of_the_bnraw_path(const ChapterRun<T>& r, const xt::xtensor<T, 2>& dbnbias) {
    const xt::xtensor<T, 2> predicted = -r.params.bngain * r.f.bnvar_inv * dbnbias;
    const xt::xtensor<T, 2> scale =
        r.f.bnvar_inv * xt::sum(xt::abs(r.g.dbnraw), {0}, xt::keep_dims);
    const double miss = worst_miss(r.g.dbnmeani, predicted, scale);
    BOOST_TEST_MESSAGE("dbnmeani vs -bngain*bnvar_inv*dbnbias: largest miss " << miss);
    return miss;
}

}  // namespace

BOOST_AUTO_TEST_CASE(only_the_path_through_bnraw_survives_lecture) {
    // With PyTorch's dbnbias.
    const ChapterRun<float> r = test::lecture_run();
    BOOST_TEST(miss_of_the_bnraw_path(r, r.expected.dbnbias) <= 1e-5);
}

BOOST_DATA_TEST_CASE(only_the_path_through_bnraw_survives_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    const ChapterRun<double> r = test::run_in_double(c);
    BOOST_TEST(miss_of_the_bnraw_path(r, r.g.dbnbias) <= 1e-12);
    // The variance path's share, 2 * sum_i bndiff * dbndiff2, is what vanished: it is not
    // small term by term, only in sum.
    const xt::xtensor<double, 2> terms = 2.0 * r.f.bndiff * r.g.dbndiff2;
    const double sum_of_terms = xt::amax(xt::abs(xt::sum(terms, {0})))();
    const double largest_term = xt::amax(xt::abs(terms))();
    BOOST_TEST_MESSAGE("variance path: largest term " << largest_term << ", largest column sum "
                                                      << sum_of_terms);
    BOOST_TEST(sum_of_terms <= 1e-12 * (largest_term * double(r.batch.size())));
}
