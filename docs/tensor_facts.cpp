/// @file
/// @brief Prints the table of the model's tensors (common/tensor_table.hpp) for the website's
/// build: one tab-separated line per tensor (name, kind, shape, expression, inputs, model), in the
/// table's order, then one line per dimension letter ("dimension", letter, meaning, its value in
/// the lecture's setup, from the defaults of Config, or nothing for a product of letters). The
/// forward graphs of the pages and the cheat sheet's letters are drawn from it.
#include <iostream>
#include <string>

#include "common/model.hpp"
#include "common/tensor_table.hpp"

namespace {

/// The value of dimension `letter` in the lecture's setup, or "" for one that is not a size of
/// Config (a product of letters, the 1 of a row).
std::string lecture_value(std::string_view letter) {
    const ninja::Config lecture;
    if (letter == "n") return std::to_string(lecture.batch_size);
    if (letter == "B") return std::to_string(lecture.block_size);
    if (letter == "E") return std::to_string(lecture.n_embd);
    if (letter == "H") return std::to_string(lecture.n_hidden);
    if (letter == "V") return std::to_string(lecture.vocab_size);
    return "";
}

}  // namespace

int main() {
    using namespace ninja;
    for (const TensorInfo& t : tensor_table)
        std::cout << t.name << '\t' << (t.kind == Kind::parameter ? "parameter" : "intermediate")
                  << '\t' << t.shape << '\t' << t.made << '\t' << t.inputs << '\t'
                  << (t.model == Model::any         ? "any"
                      : t.model == Model::batchnorm ? "batchnorm"
                                                    : "layernorm")
                  << '\n';
    for (const auto& [letter, meaning] : dimension_names)
        std::cout << "dimension\t" << letter << '\t' << meaning << '\t' << lecture_value(letter)
                  << '\n';
}
