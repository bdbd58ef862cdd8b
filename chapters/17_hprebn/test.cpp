#include "17_hprebn/hprebn.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// The largest |sum_i g[i][j]| over the columns, relative to sum_i |g[i][j]|.
template <class G>
double worst_column_sum(const G& g) {
    double worst = 0;
    for (std::size_t j = 0; j < g.shape(1); ++j) {
        double sum = 0, size = 0;
        for (std::size_t i = 0; i < g.shape(0); ++i)
            sum += double(g(i, j)), size += std::abs(double(g(i, j)));
        if (size > 0) worst = std::max(worst, std::abs(sum) / size);
    }
    return worst;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_column_of_dhprebn_sums_to_zero_lecture) {
    // Batchnorm ignores a constant added to a column of its input, so the loss's derivative
    // along that direction, the column sum of dhprebn, is zero. The direct path alone (dbndiff)
    // does not have this property: the path through the mean is what removes the column sums.
    ChapterRun<float> r = test::lecture_run();
    const double with_mean = worst_column_sum(r.g.dhprebn);
    const double direct_only = worst_column_sum(r.g.dbndiff);
    BOOST_TEST_MESSAGE("largest column sum relative to the column's size: dhprebn "
                       << with_mean << ", dbndiff alone " << direct_only);
    BOOST_TEST(with_mean <= 1e-5);
    BOOST_TEST(direct_only > 1e-2);
}

BOOST_DATA_TEST_CASE(every_column_of_dhprebn_sums_to_zero_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(c);
    // Each column sum is sum_i (dbndiff[i, j] + dbnmeani[j] / n) with dbnmeani[j] = -sum_i
    // dbndiff[i, j]: zero, but for the rounding of about n + 2 additions of those terms. Relative to
    // the size of the terms (not of the result, which is what cancels) that is at most
    // gamma_(n+2) = (n + 2) u / (1 - (n + 2) u), u = 2^-53.
    const std::size_t n = r.batch.size();
    double worst = 0;
    for (std::size_t j = 0; j < r.g.dhprebn.shape(1); ++j) {
        double sum = 0, terms = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sum += r.g.dhprebn(i, j);
            terms += std::abs(r.g.dbndiff(i, j)) + std::abs(r.g.dbnmeani(0, j)) / double(n);
        }
        worst = std::max(worst, std::abs(sum) / terms);
    }
    const double u = std::ldexp(1.0, -53), k = double(n + 2), gamma = k * u / (1 - k * u);
    BOOST_TEST_MESSAGE("largest column sum of dhprebn relative to its terms: "
                       << worst << " (bound " << gamma << ")");
    BOOST_TEST(worst <= gamma);
}

BOOST_AUTO_TEST_CASE(shifting_a_column_of_hprebn_leaves_the_loss_unchanged,
                     *test::about_the_model()) {
    // The fact behind the zero column sums, checked on the forward pass itself: adding a
    // constant to one column of hprebn and recomputing everything after it gives the same loss
    // (to rounding), while adding it to a single element does not.
    const Setup s = test::setup_for({42, 5, 64});
    Params<double> p = cast_params<double>(s.params);
    Forward<double> f;
    forward(f, p, s.batch);
    const double loss = f.loss;
    const std::size_t H = f.hprebn.shape(1);
    for (std::size_t j = 0; j < H; j += 9) {
        Forward<double> shifted = f;
        xt::view(shifted.hprebn, xt::all(), j) += 0.75;
        forward(shifted, p, s.batch, TensorId::bnmeani);
        Forward<double> one = f;
        one.hprebn(0, j) += 0.75;
        forward(one, p, s.batch, TensorId::bnmeani);
        BOOST_TEST_CONTEXT("column " << j << ": " << loss << ", shifted " << shifted.loss
                                     << ", one element moved " << one.loss) {
            BOOST_TEST(std::abs(shifted.loss - loss) <= 1e-12);
            BOOST_TEST(std::abs(one.loss - loss) > 1e-6);
        }
    }
}
