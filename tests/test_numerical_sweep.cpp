/// @file
/// @brief The float64 oracle never calls a correct gradient wrong: every chapter's own gradients
/// (the solution's steps, also in exercise mode) against central differences, for 40 seeds at
/// batch sizes 2 and 3, where batchnorm's variance is often near zero and the loss is most
/// curved (common/numerical.hpp, its error budget). The chapters are those of the chain table
/// with a step of their own; `test_numerical_sweep -- N` sweeps chapter N alone (ctest runs one
/// test per chapter, side by side).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdlib>
#include <string>
#include <utility>

#include "chapter_test.hpp"

using namespace ninja;

namespace {

constexpr int seeds = 40;

/// The largest |mine - theirs| / (atol + rtol |theirs|): the share of allclose's budget used.
template <class E>
double budget_used(const E& mine, const E& theirs) {
    double worst = 0;
    for (std::size_t i = 0; i < mine.size(); ++i)
        worst = nan_max(worst, std::abs(mine.flat(i) - theirs.flat(i)) /
                                   (allclose_atol + allclose_rtol * std::abs(theirs.flat(i))));
    return worst;
}

/// Chapter N's own gradients against the oracle on every seed at batch sizes 2 and 3.
template <int N>
void sweep() {
    const ChapterInfo& chapter = chapter_info<N>();
    if (chapter.grads.empty()) return;  // a chapter without a step of its own (23)
    double worst_budget = 0, worst_oracle = 0;
    std::size_t elements = 0, losses = 0, unresolved = 0;
    for (const std::size_t batch_size : {2u, 3u})
        for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
            ChapterRun<double> r =
                double_run(test::setup_for({seed, batch_size, 64}, chapter.model));
            backward<N, double>(r.g, r.f, r.params, r.batch);
            const OracleReport oracle = add_numerical_reference(r, chapter.grads);
            for (TensorId id : chapter.grads)
                visit_pair(id, r.g, r.expected, [&](const auto& mine, const auto& theirs) {
                    const double used = budget_used(mine, theirs);
                    worst_budget = nan_max(worst_budget, used);
                    BOOST_TEST_CONTEXT("chapter " << N << ", d" << info(id).name << ", seed "
                                                  << seed << ", batch size " << batch_size) {
                        BOOST_TEST(used <= 1.0);
                    }
                });
            worst_oracle = nan_max(worst_oracle, oracle.worst_fraction);
            elements += oracle.elements, losses += oracle.losses, unresolved += oracle.unresolved;
        }
    BOOST_TEST_MESSAGE(
        "chapter " << N << ": " << elements << " derivatives, " << double(losses) / double(elements)
                   << " losses each; largest share of the allclose budget used: " << worst_budget
                   << "; largest oracle error estimate: " << worst_oracle
                   << " of its 1% share; unresolved: " << unresolved);
    BOOST_TEST(unresolved == 0u);
}

/// The sweep of every chapter of the chain table, by its place in the table.
template <std::size_t... K>
constexpr std::array<std::pair<int, void (*)()>, chain_size> sweeps(std::index_sequence<K...>) {
    return {{{chain_table[K].chapter, &sweep<chain_table[K].chapter>}...}};
}

/// The chapter named after `--` on the command line, 0 for every one.
int chapter_asked() {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    return suite.argc > 1 ? std::atoi(suite.argv[suite.argc - 1]) : 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_false_alarm_at_batch_sizes_2_and_3) {
    const int asked = chapter_asked();
    BOOST_TEST_REQUIRE((asked == 0 || in_chain(asked)), "no chapter " << asked << " in the chain");
    for (const auto& [chapter, run] : sweeps(std::make_index_sequence<chain_size>()))
        if (asked == 0 || chapter == asked) run();
}
