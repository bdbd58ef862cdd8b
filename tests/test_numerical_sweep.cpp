/// @file
/// @brief The float64 oracle never calls a correct gradient wrong: every chapter's own gradients
/// (the solution's steps, also in exercise mode) against central differences, for 40 seeds at
/// batch sizes 2 and 3, where batchnorm's variance is often near zero and the loss is most
/// curved (common/numerical.hpp, its error budget).
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <utility>

#include "20_embedding_table/embedding_table.hpp"  // chapters 01-20
#include "22_batchnorm/batchnorm.hpp"              // chapters 21, 22
#include "chapter_test.hpp"

using namespace ninja;

namespace {

constexpr int first_chapter = 1, last_chapter = 22, seeds = 40;

/// Chapter N with the solution's step, whatever the build's mode.
template <int N>
ChapterSteps solution() {
    return {N,
            "",
            Chapter<N>::info(),
            &backward<N, float>,
            &backward<N, double>,
            &step<N, double>,
            &step<N, double>};
}

template <int... K>
std::vector<ChapterSteps> solutions(std::integer_sequence<int, K...>) {
    return {solution<first_chapter + K>()...};
}

const std::vector<ChapterSteps>& chapters() {
    static const std::vector<ChapterSteps> all =
        solutions(std::make_integer_sequence<int, last_chapter - first_chapter + 1>());
    return all;
}

/// The largest |mine - theirs| / (atol + rtol |theirs|): the share of allclose's budget used.
template <class E>
double budget_used(const E& mine, const E& theirs) {
    double worst = 0;
    for (std::size_t i = 0; i < mine.size(); ++i)
        worst = nan_max(worst, std::abs(mine.flat(i) - theirs.flat(i)) /
                                   (allclose_atol + allclose_rtol * std::abs(theirs.flat(i))));
    return worst;
}

}  // namespace

BOOST_DATA_TEST_CASE(no_false_alarm_at_batch_sizes_2_and_3,
                     boost::unit_test::data::xrange(first_chapter, last_chapter + 1), number) {
    const ChapterSteps& chapter = chapters()[std::size_t(number - first_chapter)];
    const std::vector<TensorId> ids = tensor_ids(chapter.info.grads);
    double worst_budget = 0, worst_oracle = 0;
    std::size_t elements = 0, losses = 0, unresolved = 0;
    for (const std::size_t batch_size : {2u, 3u})
        for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
            OracleReport oracle;
            const ChapterRun<double> r = run_on_numerical_reference(
                chapter.backward_double, test::setup_for({seed, batch_size, 64}), ids, {}, &oracle);
            for (TensorId id : ids)
                visit_pair(id, r.g, r.expected, [&](const auto& mine, const auto& theirs) {
                    const double used = budget_used(mine, theirs);
                    worst_budget = nan_max(worst_budget, used);
                    BOOST_TEST_CONTEXT("d" << info(id).name << ", seed " << seed << ", batch size "
                                           << batch_size) {
                        BOOST_TEST(used <= 1.0);
                    }
                });
            worst_oracle = nan_max(worst_oracle, oracle.worst_fraction);
            elements += oracle.elements, losses += oracle.losses, unresolved += oracle.unresolved;
        }
    BOOST_TEST_MESSAGE("chapter " << number << ": " << elements << " derivatives, "
                                  << double(losses) / double(elements)
                                  << " losses each; largest share of the allclose budget used: "
                                  << worst_budget
                                  << "; largest oracle error estimate: " << worst_oracle
                                  << " of its 1% share; unresolved: " << unresolved);
    BOOST_TEST(unresolved == 0u);
}
