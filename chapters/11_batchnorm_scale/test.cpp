#include "11_batchnorm_scale/batchnorm_scale.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// |a - b| small compared with `scale`, the size of the terms that were summed.
bool close(double a, double b, double scale) { return std::abs(a - b) <= 1e-5 * scale + 1e-12; }

/// The column identities of the step, on one run.
template <class T>
void check_column_identities(const ChapterRun<T>& r) {
    const std::size_t n = r.batch.size(), H = r.params.bngain.shape(1);
    BOOST_TEST_REQUIRE(r.g.dbngain.shape(1) == H);
    BOOST_TEST_REQUIRE(r.g.dbnbias.shape(1) == H);
    for (std::size_t j = 0; j < H; ++j) {
        // sum_i bnraw * dbnraw = bngain * dbngain: stretching column j of bnraw by a factor
        // does what stretching its gain does.
        double raw = 0, raw_scale = 0;
        for (std::size_t i = 0; i < n; ++i) {
            raw += double(r.f.bnraw(i, j)) * r.g.dbnraw(i, j);
            raw_scale += std::abs(double(r.f.bnraw(i, j)) * r.g.dbnraw(i, j));
        }
        const double gain = double(r.params.bngain(0, j)) * r.g.dbngain(0, j);
        // sum_i hpreact * dhpreact = bngain * dbngain + bnbias * dbnbias: hpreact is linear in
        // the two parameters.
        double pre = 0, pre_scale = 0;
        for (std::size_t i = 0; i < n; ++i) {
            pre += double(r.f.hpreact(i, j)) * r.g.dhpreact(i, j);
            pre_scale += std::abs(double(r.f.hpreact(i, j)) * r.g.dhpreact(i, j));
        }
        const double both = gain + double(r.params.bnbias(0, j)) * r.g.dbnbias(0, j);
        BOOST_TEST_CONTEXT("column " << j) {
            BOOST_TEST(close(raw, gain, raw_scale), raw << " vs " << gain);
            BOOST_TEST(close(pre, both, pre_scale), pre << " vs " << both);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(column_identities_tie_the_three_gradients_lecture) {
    check_column_identities(test::lecture_run());
}

BOOST_AUTO_TEST_CASE(column_identities_tie_the_three_gradients_n5_H7) {
    // n differs from H, so a sum over the wrong axis cannot go unnoticed.
    ChapterRun<double> r = test::run_in_double({7, 5, 7});
    check_column_identities(r);
}
