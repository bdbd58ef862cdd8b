#include "chapter_test.hpp"

namespace ninja::test {

std::ostream& operator<<(std::ostream& out, const NumericalCase& c) {
    return out << "seed " << c.seed << ", batch " << c.batch_size << ", n_hidden " << c.n_hidden;
}

const std::vector<NumericalCase> numerical_cases{
    {2147483647, 2, 1}, {42, 5, 64}, {7, 3, 7}, {2147483647, 32, 64}};

Setup setup_for(const NumericalCase& c, Model model) {
    static const Dataset data = load_dataset(names_path(), Config{}.block_size);
    Config config;
    config.seed = c.seed, config.batch_size = c.batch_size, config.n_hidden = c.n_hidden;
    config.model = model;
    TorchGenerator g(config.seed);
    Params<float> params = init_params(config, g);
    Batch batch = sample_batch(data.train, config.batch_size, g);
    return Setup{config, data, std::move(params), std::move(batch)};
}

void require_close(const std::vector<Comparison>& comparisons, std::size_t expected_count) {
    BOOST_TEST(comparisons.size() == expected_count);
    for (const Comparison& c : comparisons) {
        BOOST_TEST_MESSAGE(format_cmp(c) << " | max relative diff: " << c.max_reldiff);
        BOOST_TEST_CONTEXT(c.name) { BOOST_TEST(c.approximate); }
    }
}

void check_shapes(const ChapterRun<float>& r, const ChapterInfo& chapter) {
    for (TensorId id : chapter.grads) {
        std::vector<std::size_t> tensor_shape, grad_shape;
        visit_tensor(id, r.params, r.f, [&](const auto& t) {
            tensor_shape.assign(t.shape().begin(), t.shape().end());
        });
        r.g.visit(id,
                  [&](const auto& d) { grad_shape.assign(d.shape().begin(), d.shape().end()); });
        BOOST_TEST_CONTEXT("d" << info(id).name) { BOOST_TEST(grad_shape == tensor_shape); }
    }
}

}  // namespace ninja::test
