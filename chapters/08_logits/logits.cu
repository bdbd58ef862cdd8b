// Chapter 08's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dlogits = dnorm_logits, plus dlogit_maxes[i] at row i's first maximum. Each thread scans its
/// row for the first maximum (V is small).
void logits_backward(const Launch& l, float* dlogits, const float* dnorm_logits,
                     const float* dlogit_maxes, const float* logits) {
    const int V = l.d.V;
    for_each_element(l, l.d.n * V, [=] __device__(int k) {
        const int i = k / V, j = k % V;
        int winner = 0;
        for (int c = 1; c < V; ++c)
            if (logits[i * V + c] > logits[i * V + winner]) winner = c;
        dlogits[k] = math::dlogits(dnorm_logits[k], j == winner, dlogit_maxes[i]);
    });
}

}  // namespace ninja::gpu
