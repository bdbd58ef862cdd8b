// Chapter 13's step on the GPU: one thread per column.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dbnvar = -0.5 * (bnvar + eps)**-1.5 * dbnvar_inv.
__global__ void bnvar_backward_kernel(float* dbnvar, const float* dbnvar_inv, const float* bnvar, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < H) dbnvar[k] = math::dbnvar(dbnvar_inv[k], bnvar[k]);
}

}  // namespace

void bnvar_backward(const Launch& l, float* dbnvar, const float* dbnvar_inv, const float* bnvar) {
    const int H = l.d.H;
    bnvar_backward_kernel<<<blocks_for(H), threads_per_block, 0, l.stream>>>(dbnvar, dbnvar_inv, bnvar, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
