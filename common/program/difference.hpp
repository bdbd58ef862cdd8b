/// @file
/// @brief What a wrong gradient's difference from the expected one looks like, in words: the
/// feedback under a `wrong` verdict (a constant factor, a term constant along rows or columns,
/// only some rows, one element per row, a missing broadcast, ...).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ninja {

/// A gradient flattened in row-major order, with its shape, in double.
struct FlatTensor {
    std::vector<std::size_t> shape;  ///< e.g. {32, 27}
    std::vector<double> values;      ///< row-major
};

/// The flat copy of `t`.
template <class T, std::size_t R>
FlatTensor flatten(const xt::xtensor<T, R>& t) {
    return {std::vector<std::size_t>(t.shape().begin(), t.shape().end()),
            std::vector<double>(t.begin(), t.end())};
}

/// How `mine` differs from `expected` (same shape; expected is right), in one line: the most
/// telling pattern found, e.g. "yours is the expected gradient times 31/32 everywhere: a factor
/// (n-1)/n, with n = 32" or "only rows 3, 17 differ (2 of 32)". `n` is the batch size, to name
/// factors such as n/(n-1); `targets` the batch's Yb, to name the target's column; `noun` what
/// the tensors are ("gradient", "update"). Elements that `torch.allclose` accepts count as
/// equal. Empty when nothing is wrong or no pattern is found.
std::string describe_difference(const FlatTensor& mine, const FlatTensor& expected, std::size_t n,
                                const std::vector<std::size_t>& targets = {},
                                const std::string& noun = "gradient");

/// What a gradient of shape `mine` instead of `expected` suggests: a missing broadcast, a sum
/// without `keep_dims`, a gradient never written. Empty when nothing fits.
std::string describe_shape_mismatch(const std::vector<std::size_t>& mine,
                                    const std::vector<std::size_t>& expected);

}  // namespace ninja
