#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "common/model.hpp"

#include <xtensor/xmanipulation.hpp>

using namespace ninja;

// The table of common/tensor_table.hpp and what is generated from it.

namespace {

/// The names of the tensors of `set` (a Params, Forward or Grads) that belong to `model`, in the
/// set's order.
template <class Set>
std::vector<std::string_view> names_in(const Set& set, Model model) {
    std::vector<std::string_view> names;
    set.for_each([&](std::string_view name, const auto&) {
        TensorId id{};
        find_tensor(name, id);
        if (in_model(id, model)) names.push_back(name);
    });
    return names;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_forward_order_is_the_lectures) {
    const std::vector<std::string_view> lecture{
        "emb",        "embcat",         "hprebn",      "bnmeani",     "bndiff",
        "bndiff2",    "bnvar",          "bnvar_inv",   "bnraw",       "hpreact",
        "h",          "logits",         "logit_maxes", "norm_logits", "counts",
        "counts_sum", "counts_sum_inv", "probs",       "logprobs"};
    BOOST_TEST(names_in(Forward<float>{}, Model::batchnorm) == lecture,
               boost::test_tools::per_element());
    // LayerNorm's (chapter 24) takes its statistics over the features, in two lines.
    const std::vector<std::string_view> layernorm{
        "emb",     "embcat",     "hprebn",         "lnvar_inv",   "lnraw",
        "hpreact", "h",          "logits",         "logit_maxes", "norm_logits",
        "counts",  "counts_sum", "counts_sum_inv", "probs",       "logprobs"};
    BOOST_TEST(names_in(Forward<float>{}, Model::layernorm) == layernorm,
               boost::test_tools::per_element());
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
    BOOST_TEST(names_in(Grads<float>{}, Model::batchnorm) == notebook,
               boost::test_tools::per_element());
    BOOST_TEST(tensor_count_of(Model::batchnorm) == notebook.size());
}

BOOST_AUTO_TEST_CASE(the_parameters_come_in_the_lectures_order_and_count_4137) {
    const std::vector<std::string_view> lecture{"C", "W1", "b1", "W2", "b2", "bngain", "bnbias"};
    TorchGenerator g(Config{}.seed);
    const Params<float> p = init_params(Config{}, g);
    BOOST_TEST(names_in(p, Model::batchnorm) == lecture, boost::test_tools::per_element());
    BOOST_TEST(p.count() == 4137u);
    BOOST_TEST((model_of(p) == Model::batchnorm));
}

BOOST_AUTO_TEST_CASE(the_layernorm_model_draws_its_gain_and_bias_where_the_lecture_draws_bngains) {
    // The same number of draws: every other parameter, and the minibatches drawn after them, are
    // the lecture's.
    Config c;
    TorchGenerator g(c.seed), g_layer(c.seed);
    const Params<float> lecture = init_params(c, g);
    c.model = Model::layernorm;
    const Params<float> layer = init_params(c, g_layer);
    BOOST_TEST((model_of(layer) == Model::layernorm));
    BOOST_TEST((g == g_layer));
    BOOST_TEST(layer.count() == 4137u);
    BOOST_TEST(layer.W1 == lecture.W1);
    BOOST_TEST(layer.lngain == xt::flatten(lecture.bngain));
    BOOST_TEST(layer.bngain.size() == 0u);
    const std::vector<std::string_view> own{"C", "W1", "b1", "W2", "b2", "lngain", "lnbias"};
    BOOST_TEST(names_in(layer, Model::layernorm) == own, boost::test_tools::per_element());
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
