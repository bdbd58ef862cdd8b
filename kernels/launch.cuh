/// @file
/// @brief What the kernels of the chapters share (chapters/NN_name/name.cu): the launch shape (one
/// thread per element, blocks of 256), the block-wide tree sum, and, from kernels.hpp, the launch
/// context, the column and row sums and the matrix products; the per-element math of every step
/// (elementwise.hpp).
#pragma once

#include <cstdint>

#include <cuda_runtime_api.h>

#include "kernels/elementwise.hpp"
#include "kernels/kernels.hpp"

namespace ninja::gpu {

/// Threads per block; a power of two, since the tree sums halve it.
constexpr int threads_per_block = 256;

/// Blocks needed for one thread per element of `count` elements.
inline int blocks_for(std::int64_t count) {
    return int((count + threads_per_block - 1) / threads_per_block);
}

/// The kernel of for_each_element: `f(k)` for every k < count, one thread each.
template <class F>
__global__ void for_each_element_kernel(int count, F f) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) f(k);
}

/// Runs `f(k)`, a `__device__` lambda, for every element k < count, one thread each: the form of
/// most of the chapters' steps, whose math is one element's (kernels/elementwise.hpp).
template <class F>
void for_each_element(const Launch& l, int count, F f) {
    if (count == 0) return;
    for_each_element_kernel<<<blocks_for(count), threads_per_block, 0, l.stream>>>(count, f);
    NINJA_CUDA_CHECK_LAUNCH();
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

}  // namespace ninja::gpu
