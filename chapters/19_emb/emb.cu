// Chapter 19's step on the GPU: a copy, one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// demb = dembcat.view(n, B, E): the same numbers.
__global__ void emb_backward_kernel(float* demb, const float* dembcat, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) demb[k] = dembcat[k];
}

}  // namespace

void emb_backward(const Launch& l, float* demb, const float* dembcat, const float* /*emb: its shape, in l.d*/) {
    const int count = l.d.n * l.d.B * l.d.E;
    emb_backward_kernel<<<blocks_for(count), threads_per_block, 0, l.stream>>>(demb, dembcat, count);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
