// Chapter 15's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2.
__global__ void bndiff_backward_kernel(float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                                       const float* dbndiff2, const float* bndiff, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbndiff[k] = math::dbndiff(bnvar_inv[k % H], dbnraw[k], bndiff[k], dbndiff2[k]);
}

}  // namespace

void bndiff_backward(const Launch& l, float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                     const float* dbndiff2, const float* bndiff) {
    const int n = l.d.n, H = l.d.H;
    bndiff_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, l.stream>>>(dbndiff, dbnraw, bnvar_inv, dbndiff2, bndiff, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
