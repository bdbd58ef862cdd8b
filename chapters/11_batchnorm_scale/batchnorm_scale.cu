// Chapter 11's step on the GPU: two column sums and one thread per element of dbnraw.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dbnraw = bngain * dhpreact.
__global__ void bnraw_backward_kernel(float* dbnraw, const float* bngain, const float* dhpreact,
                                      int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbnraw[k] = math::dbnraw(bngain[k % H], dhpreact[k]);
}

}  // namespace

void batchnorm_scale_backward(const Launch& l, float* dbngain, float* dbnbias, float* dbnraw,
                              const float* dhpreact, const float* bnraw, const float* bngain) {
    const int n = l.d.n, H = l.d.H;
    column_sum(dbngain, bnraw, dhpreact, 1.0f, n, H, l.stream);    // (bnraw * dhpreact).sum(0)
    column_sum(dbnbias, dhpreact, nullptr, 1.0f, n, H, l.stream);  // dhpreact.sum(0)
    bnraw_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, l.stream>>>(dbnraw, bngain,
                                                                                dhpreact, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
