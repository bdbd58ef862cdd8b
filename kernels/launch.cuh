/// @file
/// @brief What the kernels of kernels/ share: the launch shape (one thread per element, blocks
/// of 256), the block-wide tree sum, and the column and row sums over a broadcast axis.
#pragma once

#include <cstdint>

#include <cuda_runtime_api.h>

namespace ninja::gpu {

/// Threads per block; a power of two, since the tree sums halve it.
constexpr int threads_per_block = 256;

/// Blocks needed for one thread per element of `count` elements.
inline int blocks_for(std::int64_t count) {
    return int((count + threads_per_block - 1) / threads_per_block);
}

/// Adds up the `threads_per_block` values of `partial` (shared memory) in a tree: at each level
/// the first half of the active threads adds the second half. The total ends in partial[0].
__device__ inline void tree_sum(float* partial) {
    for (int stride = threads_per_block / 2; stride > 0; stride /= 2) {
        __syncthreads();
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
    }
    __syncthreads();
}

/// Column sums: out[j] = scale * sum_i a[i, j] * (b ? b[i, j] : 1), for a, b (rows, cols); one
/// block per column.
void column_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
                cudaStream_t s);

/// Row sums: out[i] = scale * sum_j a[i, j] * (b ? b[i, j] : 1), for a, b (rows, cols); one
/// block per row.
void row_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
             cudaStream_t s);

}  // namespace ninja::gpu
