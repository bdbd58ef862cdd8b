/// @file
/// @brief The sizes of one GPU run (plain C++: the CUDA code and the CPU tests both read it).
#pragma once

namespace ninja::gpu {

/// The sizes of one run, in the letters of common/tensor_table.hpp's legend.
struct Dims {
    int n = 0;  ///< batch size
    int B = 0;  ///< block size
    int E = 0;  ///< embedding size
    int H = 0;  ///< hidden units
    int V = 0;  ///< vocabulary size
};

}  // namespace ninja::gpu
