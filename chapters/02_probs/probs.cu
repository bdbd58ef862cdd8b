// Chapter 02's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dprobs = dlogprobs / probs.
void probs_backward(const Launch& l, float* dprobs, const float* dlogprobs, const float* probs) {
    for_each_element(l, l.d.n * l.d.V,
                     [=] __device__(int k) { dprobs[k] = math::dprobs(dlogprobs[k], probs[k]); });
}

}  // namespace ninja::gpu
