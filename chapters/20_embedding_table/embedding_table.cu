// Chapter 20's step on the GPU: one thread per element of dC.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dC[v, e] = sum over (i, k) with Xb[i, k] == v of demb[i, k, e]. Each thread loops over the
/// n*B lookups: deterministic, no atomics.
void embedding_table_backward(const Launch& l, float* dC, const float* demb,
                              const float* /*C: its shape*/, const std::int64_t* Xb) {
    const int E = l.d.E, lookups = l.d.n * l.d.B;
    for_each_element(l, l.d.V * E, [=] __device__(int k) {
        const int v = k / E, e = k % E;
        float sum = 0.0f;
        for (int ik = 0; ik < lookups; ++ik)
            if (Xb[ik] == v) sum += demb[ik * E + e];
        dC[k] = sum;
    });
}

}  // namespace ninja::gpu
