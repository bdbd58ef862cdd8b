#include "12_bnvar_inv/bnvar_inv.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// bnvar_inv * dbnvar_inv = bngain * dbngain, column by column: both scale column j of hpreact
/// (bias aside), so stretching either by the same factor changes the loss by the same amount.
template <class T>
void check_same_scaling_as_the_gain(const ChapterRun<T>& r) {
    const std::size_t n = r.batch.size(), H = r.f.bnvar_inv.shape(1);
    BOOST_TEST_REQUIRE(r.g.dbnvar_inv.shape(1) == H);
    for (std::size_t j = 0; j < H; ++j) {
        const double inv = double(r.f.bnvar_inv(0, j)) * r.g.dbnvar_inv(0, j);
        const double gain = double(r.params.bngain(0, j)) * r.g.dbngain(0, j);
        double scale = 0;  // the size of the terms summed over the batch
        for (std::size_t i = 0; i < n; ++i)
            scale += std::abs(double(r.f.bnraw(i, j)) * r.g.dbnraw(i, j));
        BOOST_TEST_CONTEXT("column " << j) {
            BOOST_TEST(std::abs(inv - gain) <= 1e-5 * scale + 1e-12, inv << " vs " << gain);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(scales_like_the_gain_lecture) {
    check_same_scaling_as_the_gain(test::lecture_run());
}

BOOST_AUTO_TEST_CASE(scales_like_the_gain_n5_H7) {
    ChapterRun<double> r = test::run_in_double({7, 5, 7});
    check_same_scaling_as_the_gain(r);
}
