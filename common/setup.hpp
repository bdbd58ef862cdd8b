/// @file
/// @brief The lecture's setup in one call: data, parameters and one minibatch.
#pragma once

#include <string>

#include "common/dataset.hpp"
#include "common/model.hpp"

namespace ninja {

/// Everything the lecture has prepared when Exercise 1 begins.
struct Setup {
    Config config;         ///< sizes and seed
    Dataset data;          ///< the shuffled, split names
    Params<float> params;  ///< initialised from the seeded generator
    Batch batch;           ///< the first minibatch drawn after the parameters
};

/// Loads the data from `data_path`, then draws the parameters and one minibatch from one
/// generator seeded with `config.seed`, exactly in the lecture's order. The vocabulary size is
/// taken from the data.
Setup make_setup(Config config, const std::string& data_path);

/// The same from names already read, in file order (read_names()).
Setup make_setup(Config config, std::vector<std::string> words);

}  // namespace ninja
