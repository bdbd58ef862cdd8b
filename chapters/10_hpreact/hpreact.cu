// Chapter 10's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dhpreact = (1 - h**2) * dh.
__global__ void hpreact_backward_kernel(float* dhpreact, const float* dh, const float* h, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dhpreact[k] = math::dhpreact(h[k], dh[k]);
}

}  // namespace

void hpreact_backward(const Launch& l, float* dhpreact, const float* dh, const float* h) {
    const int count = l.d.n * l.d.H;
    hpreact_backward_kernel<<<blocks_for(count), threads_per_block, 0, l.stream>>>(dhpreact, dh, h, count);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
