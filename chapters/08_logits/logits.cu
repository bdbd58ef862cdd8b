// Chapter 08's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dlogits = dnorm_logits, plus dlogit_maxes[i] at row i's first maximum. Each thread scans its
/// row for the first maximum (V is small).
__global__ void logits_backward_kernel(float* dlogits, const float* dnorm_logits,
                                       const float* dlogit_maxes, const float* logits, int n,
                                       int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * V) return;
    const int i = k / V, j = k % V;
    int winner = 0;
    for (int c = 1; c < V; ++c)
        if (logits[i * V + c] > logits[i * V + winner]) winner = c;
    dlogits[k] = math::dlogits(dnorm_logits[k], j == winner, dlogit_maxes[i]);
}

}  // namespace

void logits_backward(const Launch& l, float* dlogits, const float* dnorm_logits,
                     const float* dlogit_maxes, const float* logits) {
    const int n = l.d.n, V = l.d.V;
    logits_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, l.stream>>>(
        dlogits, dnorm_logits, dlogit_maxes, logits, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
