// Chapter 01's step on the GPU: one thread per element of dlogprobs.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dlogprobs[i, j] = -1/n if j == Yb[i] else 0.
void logprobs_backward(const Launch& l, float* dlogprobs, const float* /*logprobs: its shape*/,
                       const std::int64_t* Yb) {
    const int n = l.d.n, V = l.d.V;
    for_each_element(
        l, n * V, [=] __device__(int k) { dlogprobs[k] = math::dlogprobs(k % V == Yb[k / V], n); });
}

}  // namespace ninja::gpu
