// Chapter 05's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dcounts[i, j] = counts_sum_inv[i] * dprobs[i, j] + dcounts_sum[i].
__global__ void counts_backward_kernel(float* dcounts, const float* dprobs, const float* counts_sum_inv,
                                       const float* dcounts_sum, int n, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * V) dcounts[k] = math::dcounts(counts_sum_inv[k / V], dprobs[k], dcounts_sum[k / V]);
}

}  // namespace

void counts_backward(const Launch& l, float* dcounts, const float* dprobs, const float* counts_sum_inv,
                     const float* dcounts_sum) {
    const int n = l.d.n, V = l.d.V;
    counts_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, l.stream>>>(dcounts, dprobs, counts_sum_inv, dcounts_sum, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
