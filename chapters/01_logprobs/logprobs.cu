// Chapter 01's step on the GPU: one thread per element of dlogprobs.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dlogprobs[i, j] = -1/n if j == Yb[i] else 0.
__global__ void logprobs_backward_kernel(float* dlogprobs, const std::int64_t* Yb, int n, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * V) dlogprobs[k] = math::dlogprobs(k % V == Yb[k / V], n);
}

}  // namespace

void logprobs_backward(const Launch& l, float* dlogprobs, const float* /*logprobs: its shape, in l.d*/, const std::int64_t* Yb) {
    const int n = l.d.n, V = l.d.V;
    logprobs_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, l.stream>>>(dlogprobs, Yb, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
