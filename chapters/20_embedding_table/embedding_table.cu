// Chapter 20's step on the GPU: one thread per element of dC.
#include "kernels/launch.cuh"

namespace ninja::gpu {

namespace {

/// dC[v, e] = sum over (i, k) with Xb[i, k] == v of demb[i, k, e]. Each thread loops over the
/// n*B lookups: deterministic, no atomics.
__global__ void embedding_table_backward_kernel(float* dC, const float* demb,
                                                const std::int64_t* Xb, int lookups, int E, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= V * E) return;
    const int v = k / E, e = k % E;
    float sum = 0.0f;
    for (int ik = 0; ik < lookups; ++ik)
        if (Xb[ik] == v) sum += demb[ik * E + e];
    dC[k] = sum;
}

}  // namespace

void embedding_table_backward(const Launch& l, float* dC, const float* demb,
                              const float* /*C: its shape, in l.d*/, const std::int64_t* Xb) {
    const int E = l.d.E, V = l.d.V;
    embedding_table_backward_kernel<<<blocks_for(V * E), threads_per_block, 0, l.stream>>>(
        dC, demb, Xb, l.d.n * l.d.B, E, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
