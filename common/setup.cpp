#include "common/setup.hpp"

namespace ninja {

Setup make_setup(Config config, const std::string& data_path) {
    validate(config);  // the options first: they cost nothing to check
    return make_setup(config, read_names(data_path));
}

Setup make_setup(Config config, std::vector<std::string> words) {
    validate(config);
    Dataset data = make_dataset(std::move(words), config.block_size);
    config.vocab_size = data.vocab.size();
    TorchGenerator g(config.seed);
    Params<float> params = init_params(config, g);
    Batch batch = sample_batch(data.train, config.batch_size, g);
    return Setup{config, std::move(data), std::move(params), std::move(batch)};
}

}  // namespace ninja
