// Chapter 14's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dbndiff2[i, j] = 1/(n-1) * dbnvar[j].
__global__ void bndiff2_backward_kernel(float* dbndiff2, const float* dbnvar, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbndiff2[k] = math::dbndiff2(dbnvar[k % H], n);
}

}  // namespace

void bndiff2_backward(const Launch& l, float* dbndiff2, const float* dbnvar, const float* /*bndiff2: its shape, in l.d*/) {
    const int n = l.d.n, H = l.d.H;
    bndiff2_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, l.stream>>>(dbndiff2, dbnvar, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
