// Chapter 17's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dhprebn[i, j] = dbndiff[i, j] + 1/n * dbnmeani[j].
__global__ void hprebn_backward_kernel(float* dhprebn, const float* dbndiff, const float* dbnmeani, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dhprebn[k] = math::dhprebn(dbndiff[k], dbnmeani[k % H], n);
}

}  // namespace

void hprebn_backward(const Launch& l, float* dhprebn, const float* dbndiff, const float* dbnmeani,
                     const float* /*hprebn: its shape, in l.d*/) {
    const int n = l.d.n, H = l.d.H;
    hprebn_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, l.stream>>>(dhprebn, dbndiff, dbnmeani, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
