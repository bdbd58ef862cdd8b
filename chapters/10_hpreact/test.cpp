#include "10_hpreact/hpreact.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(local_factor_equals_one_over_cosh_squared_of_hpreact) {
    // 1 - tanh(x)^2 = 1 / cosh(x)^2: the derivative computed from the input hpreact, in double,
    // must agree with the one the step computes from the saved output h.
    ChapterRun<float> r = test::lecture_run();
    for (std::size_t e = 0; e < r.g.dhpreact.size(); ++e) {
        const double c = std::cosh(double(r.f.hpreact.flat(e)));
        const double expected = double(r.g.dh.flat(e)) / (c * c);
        BOOST_TEST_CONTEXT("element " << e << ": hpreact " << r.f.hpreact.flat(e)) {
            const double bound = 1e-6 * std::abs(r.g.dh.flat(e));
            BOOST_TEST(std::abs(r.g.dhpreact.flat(e) - expected) <= bound);
        }
    }
}

BOOST_AUTO_TEST_CASE(tanh_keeps_the_sign_and_never_amplifies) {
    // The local factor lies in (0, 1]. The lecture's batch has |hpreact| > 1 in places, where
    // 1 - hpreact^2 (the derivative taken at the wrong point) would be negative.
    ChapterRun<float> r = test::lecture_run();
    BOOST_TEST_REQUIRE(xt::amax(xt::abs(r.f.hpreact))() > 1.f);
    for (std::size_t e = 0; e < r.g.dhpreact.size(); ++e) {
        const float d = r.g.dh.flat(e), dpre = r.g.dhpreact.flat(e);
        BOOST_TEST_CONTEXT("element " << e) {
            BOOST_TEST(d * dpre >= 0.f);
            BOOST_TEST(std::abs(dpre) <= std::abs(d));
        }
    }
}
