// Chapter 03's step on the GPU: a row reduction.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dcounts_sum_inv = (counts * dprobs).sum(1): one block per row (kernels/launch.cuh).
void counts_sum_inv_backward(const Launch& l, float* dcounts_sum_inv, const float* dprobs,
                             const float* counts) {
    row_sum(dcounts_sum_inv, counts, dprobs, 1.0f, l.d.n, l.d.V, l.stream);
}

}  // namespace ninja::gpu
