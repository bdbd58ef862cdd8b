// Chapter 06's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dnorm_logits = counts * dcounts.
__global__ void norm_logits_backward_kernel(float* dnorm_logits, const float* dcounts, const float* counts, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dnorm_logits[k] = math::dnorm_logits(counts[k], dcounts[k]);
}

}  // namespace

void norm_logits_backward(const Launch& l, float* dnorm_logits, const float* dcounts, const float* counts) {
    const int count = l.d.n * l.d.V;
    norm_logits_backward_kernel<<<blocks_for(count), threads_per_block, 0, l.stream>>>(dnorm_logits, dcounts, counts, count);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
