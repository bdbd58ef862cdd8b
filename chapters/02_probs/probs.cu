// Chapter 02's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dprobs = dlogprobs / probs.
__global__ void probs_backward_kernel(float* dprobs, const float* dlogprobs, const float* probs, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dprobs[k] = math::dprobs(dlogprobs[k], probs[k]);
}

}  // namespace

void probs_backward(const Launch& l, float* dprobs, const float* dlogprobs, const float* probs) {
    const int count = l.d.n * l.d.V;
    probs_backward_kernel<<<blocks_for(count), threads_per_block, 0, l.stream>>>(dprobs, dlogprobs, probs, count);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
