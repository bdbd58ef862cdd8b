#include "15_bndiff/bndiff.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// The chapter's stretch identity in every column j:
///   sum_i bndiff[i][j] * dbndiff[i][j] = eps / (bnvar[j] + eps) * sum_i bnraw[i][j] * dbnraw[i][j].
/// The left side is the sum of the two paths' projections, which cancel to about five digits;
/// `tolerance` is relative to the size of the path through bnraw alone, so dropping a path or
/// flipping its sign misses by a factor of about 1e5 over the tolerance.
template <class T>
void check_stretch_identity(const ChapterRun<T>& r, double tolerance) {
    const std::size_t n = r.batch.size(), H = r.f.bndiff.shape(1);
    BOOST_TEST_REQUIRE(r.g.dbndiff.shape(0) == n);
    BOOST_TEST_REQUIRE(r.g.dbndiff.shape(1) == H);
    double worst = 0;
    for (std::size_t j = 0; j < H; ++j) {
        double lhs = 0, raw = 0, through_bnraw = 0;
        for (std::size_t i = 0; i < n; ++i) {
            lhs += double(r.f.bndiff(i, j)) * double(r.g.dbndiff(i, j));
            raw += double(r.f.bnraw(i, j)) * double(r.g.dbnraw(i, j));
            through_bnraw += std::abs(double(r.f.bndiff(i, j)) * double(r.f.bnvar_inv(0, j)) *
                                      double(r.g.dbnraw(i, j)));
        }
        const double v = double(r.f.bnvar(0, j));
        const double rhs = bn_eps / (v + bn_eps) * raw;
        const double miss = std::abs(lhs - rhs) / through_bnraw;
        worst = std::max(worst, miss);
        BOOST_TEST_CONTEXT("column " << j << ": " << lhs << " vs " << rhs << " (scale "
                                     << through_bnraw << ")") {
            BOOST_TEST(miss <= tolerance);
        }
    }
    BOOST_TEST_MESSAGE("stretch identity: largest miss " << worst
                                                         << " relative to the bnraw path alone");
}

}  // namespace

BOOST_AUTO_TEST_CASE(stretching_a_column_changes_the_loss_only_through_eps_lecture) {
    // float32, PyTorch's forward pass: the cancellation leaves float rounding (~1e-7 of the
    // scale); the eps term itself is ~1e-5 of it. Both are far below the tolerance, and a
    // missing or sign-flipped path gives a miss of order 1.
    check_stretch_identity(test::lecture_run(), 1e-4);
}

BOOST_DATA_TEST_CASE(stretching_a_column_changes_the_loss_only_through_eps_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    // In double the identity holds to rounding, so the eps term (~1e-5 of the scale) itself is
    // checked: without it on the right-hand side, the test would fail.
    ChapterRun<double> r = test::run_in_double(c);
    check_stretch_identity(r, 1e-9);
}

BOOST_AUTO_TEST_CASE(neither_path_alone_is_the_gradient) {
    // bndiff is used twice. Against float64 central differences, the sum of the two
    // contributions matches and each contribution alone does not.
    const Setup s = test::setup_for({42, 5, 64});
    ChapterRun<double> r = test::run_in_double(s, {TensorId::bndiff});
    const xt::xtensor<double, 2> through_bnraw = r.f.bnvar_inv * r.g.dbnraw;         // (n, H)
    const xt::xtensor<double, 2> through_bndiff2 = 2.0 * r.f.bndiff * r.g.dbndiff2;  // (n, H)
    const xt::xtensor<double, 2> both = through_bnraw + through_bndiff2;
    const Comparison sum_of_both = compare("bndiff", both, r.expected.dbndiff);
    const Comparison bnraw_only = compare("bndiff", through_bnraw, r.expected.dbndiff);
    const Comparison bndiff2_only = compare("bndiff", through_bndiff2, r.expected.dbndiff);
    BOOST_TEST_MESSAGE("both paths:         " << format_cmp(sum_of_both));
    BOOST_TEST_MESSAGE("through bnraw only: " << format_cmp(bnraw_only));
    BOOST_TEST_MESSAGE("through bndiff2 only: " << format_cmp(bndiff2_only));
    BOOST_TEST(sum_of_both.approximate);
    BOOST_TEST(!bnraw_only.approximate);
    BOOST_TEST(!bndiff2_only.approximate);
    // The chapter's code computes exactly this sum.
    BOOST_TEST(compare("bndiff", r.g.dbndiff, both).maxdiff <= 1e-12);
}
