#include "20_embedding_table/embedding_table.hpp"
#include "chapter_test.hpp"

#include <cmath>
#include <set>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// The characters that occur in `Xb`.
std::set<std::size_t> characters_of(const xt::xtensor<std::int64_t, 2>& Xb) {
    std::set<std::size_t> present;
    for (const std::int64_t v : Xb) present.insert(std::size_t(v));
    return present;
}

/// Rows of `dC` for characters absent from `Xb` are exactly zero; rows of present characters
/// are not. Returns the number of absent characters.
template <class T>
std::size_t check_rows(const xt::xtensor<T, 2>& dC, const xt::xtensor<std::int64_t, 2>& Xb) {
    const std::set<std::size_t> present = characters_of(Xb);
    std::size_t absent = 0;
    for (std::size_t v = 0; v < dC.shape(0); ++v) {
        const auto row = xt::view(dC, v, xt::all());
        BOOST_TEST_CONTEXT("row " << v << " of dC") {
            if (present.count(v)) {
                BOOST_TEST(xt::amax(xt::abs(row))() > T(0));
            } else {
                ++absent;
                BOOST_TEST(xt::all(xt::equal(row, T(0))));
            }
        }
    }
    return absent;
}

}  // namespace

BOOST_AUTO_TEST_CASE(repeated_characters_accumulate_hand_made_batch) {
    // A batch of 5 contexts where characters repeat within a context and across contexts:
    // '.' (0) 8 times, including two whole rows of it, 'e' (5) 4 times, 'a' (1) 2 times, 'z'
    // (26) once; every other row of C is never read. Checked against float64 central
    // differences of the loss with respect to every element of C.
    test::NumericalCase c{7, 5, 7};
    Setup s = test::setup_for(c);
    s.batch.Xb = {{0, 0, 0}, {0, 0, 5}, {5, 5, 5}, {0, 0, 0}, {1, 1, 26}};
    BOOST_TEST_REQUIRE(s.batch.Xb.shape(0) == s.batch.size());
    ChapterRun<double> r = test::run_in_double(s, {TensorId::C});
    const Comparison accumulated = compare("C", r.g.dC, r.expected.dC);
    BOOST_TEST_MESSAGE("scatter-add:        " << format_cmp(accumulated) << " | max relative diff: "
                                              << accumulated.max_reldiff);
    BOOST_TEST(accumulated.approximate);
    // Keeping only the last occurrence of each character (assignment instead of addition)
    // is rejected by the same reference.
    xt::xtensor<double, 2> last_only = xt::zeros_like(r.params.C);
    for (std::size_t i = 0; i < r.batch.size(); ++i)
        for (std::size_t k = 0; k < r.batch.Xb.shape(1); ++k)
            xt::view(last_only, r.batch.Xb(i, k), xt::all()) = xt::view(r.g.demb, i, k, xt::all());
    const Comparison overwritten = compare("C", last_only, r.expected.dC);
    BOOST_TEST_MESSAGE("last occurrence:    " << format_cmp(overwritten));
    BOOST_TEST(!overwritten.approximate);
    BOOST_TEST(check_rows(r.g.dC, r.batch.Xb) == r.params.C.shape(0) - 4);
    BOOST_TEST(check_rows(r.expected.dC, r.batch.Xb) == r.params.C.shape(0) - 4);
}

BOOST_AUTO_TEST_CASE(rows_of_absent_characters_are_zero_lecture) {
    // On the lecture's batch: the rows of characters that occur nowhere in Xb are exactly zero
    // (PyTorch's too), and the rows of dC add up to the sum of all n*B rows of demb: nothing is
    // dropped or counted twice.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t absent = check_rows(r.g.dC, r.batch.Xb);
    BOOST_TEST_MESSAGE(absent << " of " << r.params.C.shape(0)
                              << " characters absent from the batch");
    BOOST_TEST(absent > 0u);
    BOOST_TEST(check_rows(r.expected.dC, r.batch.Xb) == absent);
    const std::size_t E = r.params.C.shape(1);
    for (std::size_t e = 0; e < E; ++e) {
        double table = 0, rows = 0, size = 0;
        for (std::size_t v = 0; v < r.g.dC.shape(0); ++v) table += r.g.dC(v, e);
        for (std::size_t i = 0; i < r.batch.size(); ++i)
            for (std::size_t k = 0; k < r.batch.Xb.shape(1); ++k)
                rows += r.g.demb(i, k, e), size += std::abs(r.g.demb(i, k, e));
        BOOST_TEST_CONTEXT("column " << e) { BOOST_TEST(std::abs(table - rows) <= 1e-6 * size); }
    }
}

BOOST_AUTO_TEST_CASE(all_prints_the_lectures_whole_table) {
    // Chapter 20 ends Exercise 1: with --all it compares the 26 gradients of the lecture's
    // table, in the lecture's order, and every one is approximately PyTorch's.
    // The table's order is the notebook's (test_tensors checks it against the lecture's list).
    const std::vector<TensorId> printed = printed_grads(test::tested_chapter(), true);
    std::vector<TensorId> table;
    for (TensorId id : table_order)
        if (in_model(id, Model::batchnorm)) table.push_back(id);
    BOOST_TEST(printed == table, boost::test_tools::per_element());
    ChapterRun<float> r = test::lecture_run();
    test::require_close(compare_grads(r, printed), table.size());
}
