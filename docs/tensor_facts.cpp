/// @file
/// @brief Prints the table of the model's tensors (common/tensor_table.hpp) for the website's
/// build: one tab-separated line per tensor (name, kind, shape, expression, inputs), in the
/// table's order, then one line per dimension letter ("dimension", letter, meaning). The forward
/// graphs of the pages are drawn from it.
#include <iostream>

#include "common/tensor_table.hpp"

int main() {
    using namespace ninja;
    for (const TensorInfo& t : tensor_table)
        std::cout << t.name << '\t' << (t.kind == Kind::parameter ? "parameter" : "intermediate")
                  << '\t' << t.shape << '\t' << t.made << '\t' << t.inputs << '\n';
    for (const auto& [letter, meaning] : dimension_names)
        std::cout << "dimension\t" << letter << '\t' << meaning << '\n';
}
