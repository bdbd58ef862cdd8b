// Chapter 22's step on the GPU: one block per column.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0)),
/// with dbnbias = dhpreact.sum(0) and dbngain = (dhpreact*bnraw).sum(0) on the way. One block per
/// column j: it reduces the column's two sums in shared memory, then writes its n outputs.
__global__ void batchnorm_backward_kernel(float* dhprebn, float* dbngain, float* dbnbias,
                                          const float* dhpreact, const float* bnraw,
                                          const float* bngain, const float* bnvar_inv, int n,
                                          int H) {
    __shared__ float sum[threads_per_block];
    __shared__ float sum_bnraw[threads_per_block];
    const int j = blockIdx.x;
    float s = 0.0f, s2 = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        s += dhpreact[i * H + j];
        s2 += dhpreact[i * H + j] * bnraw[i * H + j];
    }
    sum[threadIdx.x] = s;
    sum_bnraw[threadIdx.x] = s2;
    tree_sum(sum);
    tree_sum(sum_bnraw);
    if (threadIdx.x == 0) dbnbias[j] = sum[0], dbngain[j] = sum_bnraw[0];
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        dhprebn[i * H + j] = math::dhprebn_fused(bngain[j], bnvar_inv[j], n, dhpreact[i * H + j],
                                                 sum[0], bnraw[i * H + j], sum_bnraw[0]);
}

}  // namespace

void batchnorm_backward(const Launch& l, float* dhprebn, float* dbngain, float* dbnbias,
                        const float* dhpreact, const float* bnraw, const float* bngain,
                        const float* bnvar_inv) {
    batchnorm_backward_kernel<<<l.d.H, threads_per_block, 0, l.stream>>>(
        dhprebn, dbngain, dbnbias, dhpreact, bnraw, bngain, bnvar_inv, l.d.n, l.d.H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
