#include "01_logprobs/logprobs.hpp"
#include "chapter_test.hpp"

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(one_nonzero_entry_per_row_summing_to_minus_one) {
    // The loss is the mean of n picked entries: each row has exactly one gradient entry, -1/n,
    // so all of dlogprobs sums to -1.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.batch.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = xt::view(r.g.dlogprobs, i, xt::all());
        BOOST_TEST(xt::sum(xt::not_equal(row, 0.f))() == 1u);
        BOOST_TEST(row(std::size_t(r.batch.Yb(i))) == -1.f / float(n));
    }
    BOOST_TEST(xt::sum(r.g.dlogprobs)() == -1.f, boost::test_tools::tolerance(1e-6f));
}
