// Chapter 07's step on the GPU: a row reduction.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dlogit_maxes = -dnorm_logits.sum(1): one block per row (kernels/launch.cuh).
void logit_maxes_backward(const Launch& l, float* dlogit_maxes, const float* dnorm_logits) {
    row_sum(dlogit_maxes, dnorm_logits, nullptr, -1.0f, l.d.n, l.d.V, l.stream);
}

}  // namespace ninja::gpu
