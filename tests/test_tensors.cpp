#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "common/model.hpp"

using namespace ninja;

// The table of common/tensor_table.hpp and what is generated from it.

BOOST_AUTO_TEST_CASE(the_forward_order_is_the_lectures) {
    const std::vector<std::string_view> lecture{
        "emb",        "embcat",         "hprebn",      "bnmeani",     "bndiff",
        "bndiff2",    "bnvar",          "bnvar_inv",   "bnraw",       "hpreact",
        "h",          "logits",         "logit_maxes", "norm_logits", "counts",
        "counts_sum", "counts_sum_inv", "probs",       "logprobs"};
    std::vector<std::string_view> names;
    Forward<float>{}.for_each([&](std::string_view name, const auto&) { names.push_back(name); });
    BOOST_TEST(names == lecture, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_gradients_come_in_the_notebooks_order) {
    const std::vector<std::string_view> notebook{"logprobs",    "probs",   "counts_sum_inv",
                                                 "counts_sum",  "counts",  "norm_logits",
                                                 "logit_maxes", "logits",  "h",
                                                 "W2",          "b2",      "hpreact",
                                                 "bngain",      "bnbias",  "bnraw",
                                                 "bnvar_inv",   "bnvar",   "bndiff2",
                                                 "bndiff",      "bnmeani", "hprebn",
                                                 "embcat",      "W1",      "b1",
                                                 "emb",         "C"};
    std::vector<std::string_view> names;
    Grads<float>{}.for_each([&](std::string_view name, const auto&) { names.push_back(name); });
    BOOST_TEST(names == notebook, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_parameters_come_in_the_lectures_order_and_count_4137) {
    const std::vector<std::string_view> lecture{"C", "W1", "b1", "W2", "b2", "bngain", "bnbias"};
    TorchGenerator g(Config{}.seed);
    const Params<float> p = init_params(Config{}, g);
    std::vector<std::string_view> names;
    p.for_each([&](std::string_view name, const auto&) { names.push_back(name); });
    BOOST_TEST(names == lecture, boost::test_tools::per_element());
    BOOST_TEST(p.count() == 4137u);
}

BOOST_AUTO_TEST_CASE(every_name_is_found_once_and_visits_a_tensor_of_its_rank) {
    std::set<std::string_view> seen;
    Params<float> p;
    Forward<float> f;
    Grads<float> g;
    for (const TensorInfo& t : tensor_table) {
        BOOST_TEST_CONTEXT(t.name) {
            BOOST_TEST(seen.insert(t.name).second);
            TensorId id{};
            BOOST_TEST_REQUIRE(find_tensor(t.name, id));
            BOOST_TEST(int(id) == int(t.id));
            int visits = 0;
            visit_tensor(id, p, f, [&](const auto& x) { visits += x.dimension() == t.rank; });
            g.visit(id, [&](const auto& d) { visits += d.dimension() == t.rank; });
            BOOST_TEST(visits == 2);
        }
    }
    TensorId id{};
    BOOST_TEST(!find_tensor("dlogits", id));
    BOOST_TEST(!find_tensor("loss", id));
}

BOOST_AUTO_TEST_CASE(a_stage_reruns_exactly_the_lines_after_it) {
    // Poison every intermediate, then run the forward pass from the line after `probs`: only
    // `logprobs` (and the loss) may change.
    TorchGenerator g(Config{}.seed);
    const Params<float> p = init_params(Config{}, g);
    Batch b{xt::zeros<std::int64_t>({std::size_t(2)}),
            xt::zeros<std::int64_t>({std::size_t(2), std::size_t(3)}),
            xt::xtensor<std::int64_t, 1>{1, 2}};
    Forward<float> f;
    forward(f, p, b);
    Forward<float> poisoned = f;
    poisoned.for_each([](std::string_view name, auto& t) {
        if (name != "probs") t.fill(-1.0f);
    });
    forward(poisoned, p, b, Stage::after(TensorId::probs));
    BOOST_TEST(poisoned.logprobs == f.logprobs);
    BOOST_TEST(poisoned.loss == f.loss);
    BOOST_TEST(poisoned.counts(0, 0) == -1.0f);
    BOOST_TEST(forward_position(TensorId::emb) == 0);
    BOOST_TEST(forward_position(TensorId::logprobs) == intermediate_count - 1);
}
