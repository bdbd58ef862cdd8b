// Chapter 05's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dcounts[i, j] = counts_sum_inv[i] * dprobs[i, j] + dcounts_sum[i].
void counts_backward(const Launch& l, float* dcounts, const float* dprobs,
                     const float* counts_sum_inv, const float* dcounts_sum) {
    const int V = l.d.V;
    for_each_element(l, l.d.n * V, [=] __device__(int k) {
        dcounts[k] = math::dcounts(counts_sum_inv[k / V], dprobs[k], dcounts_sum[k / V]);
    });
}

}  // namespace ninja::gpu
