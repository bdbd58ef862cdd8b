// Chapter 06's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dnorm_logits = counts * dcounts.
void norm_logits_backward(const Launch& l, float* dnorm_logits, const float* dcounts,
                          const float* counts) {
    for_each_element(l, l.d.n * l.d.V, [=] __device__(int k) {
        dnorm_logits[k] = math::dnorm_logits(counts[k], dcounts[k]);
    });
}

}  // namespace ninja::gpu
