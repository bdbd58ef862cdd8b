#include "02_probs/probs.hpp"
#include "chapter_test.hpp"

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(nonzero_only_at_targets_where_it_is_minus_one_over_n_p) {
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.batch.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto y = std::size_t(r.batch.Yb(i));
        BOOST_TEST(r.g.dprobs(i, y) == -1.f / (float(n) * r.f.probs(i, y)),
                   boost::test_tools::tolerance(1e-6f));
        BOOST_TEST(xt::sum(xt::not_equal(xt::view(r.g.dprobs, i, xt::all()), 0.f))() == 1u);
    }
}
