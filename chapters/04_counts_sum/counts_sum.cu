// Chapter 04's step on the GPU: one thread per row.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dcounts_sum = -dcounts_sum_inv / counts_sum**2.
__global__ void counts_sum_backward_kernel(float* dcounts_sum, const float* dcounts_sum_inv, const float* counts_sum, int n) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n) dcounts_sum[k] = math::dcounts_sum(dcounts_sum_inv[k], counts_sum[k]);
}

}  // namespace

void counts_sum_backward(const Launch& l, float* dcounts_sum, const float* dcounts_sum_inv, const float* counts_sum) {
    const int n = l.d.n;
    counts_sum_backward_kernel<<<blocks_for(n), threads_per_block, 0, l.stream>>>(dcounts_sum, dcounts_sum_inv, counts_sum, n);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
