#include "14_bndiff2/bndiff2.hpp"
#include "chapter_test.hpp"

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// Every row of dbndiff2 is the same row, dbnvar / (n-1).
template <class T>
void check_rows(const ChapterRun<T>& r) {
    const std::size_t n = r.batch.size(), H = r.f.bnvar.shape(1);
    BOOST_TEST_REQUIRE(r.g.dbndiff2.shape(0) == n);
    BOOST_TEST_REQUIRE(r.g.dbndiff2.shape(1) == H);
    for (std::size_t j = 0; j < H; ++j) BOOST_TEST_CONTEXT("column " << j) {
            for (std::size_t i = 1; i < n; ++i)
                BOOST_TEST(r.g.dbndiff2(i, j) == r.g.dbndiff2(0, j));
            // (n-1) times the row gives dbnvar back: Bessel's n-1, not n.
            BOOST_TEST(double(n - 1) * r.g.dbndiff2(0, j) == double(r.g.dbnvar(0, j)),
                       boost::test_tools::tolerance(1e-6));
        }
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_in_every_row_lecture) { check_rows(test::lecture_run()); }

BOOST_AUTO_TEST_CASE(the_same_in_every_row_odd_batch) {
    check_rows(test::run_in_double({42, 5, 64}));
}

BOOST_AUTO_TEST_CASE(batch_of_two_copies_dbnvar_into_both_rows) {
    // 1/(n-1) = 1 at n = 2.
    ChapterRun<double> r = test::run_in_double({2147483647, 2, 7});
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < r.f.bnvar.shape(1); ++j)
            BOOST_TEST(r.g.dbndiff2(i, j) == r.g.dbnvar(0, j));
}

BOOST_AUTO_TEST_CASE(a_batch_of_one_is_refused, *test::about_the_model()) {
    // n - 1 = 0: the unbiased variance of a single example divides by zero.
    Config config;
    config.batch_size = 1;
    BOOST_CHECK_EXCEPTION(validate(config), InputError, test::message_has("n-1"));
    config.batch_size = 2;
    BOOST_CHECK_NO_THROW(validate(config));
}
