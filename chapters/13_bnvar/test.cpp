#include "13_bnvar/bnvar.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(local_factor_is_minus_half_bnvar_inv_cubed) {
    // (bnvar + eps)^(-3/2) = bnvar_inv^3: the factor written with the saved output must agree
    // with the one the step computes from bnvar, and it is negative, so every element of dbnvar
    // has the sign opposite to dbnvar_inv's.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t H = r.f.bnvar.shape(1);
    for (std::size_t j = 0; j < H; ++j) {
        const double inv = r.f.bnvar_inv(0, j);
        const double expected = -0.5 * inv * inv * inv * r.g.dbnvar_inv(0, j);
        BOOST_TEST_CONTEXT("column " << j) {
            BOOST_TEST(std::abs(r.g.dbnvar(0, j) - expected) <= 1e-5 * std::abs(expected));
            BOOST_TEST(r.g.dbnvar(0, j) * r.g.dbnvar_inv(0, j) <= 0.f);
        }
    }
}
