// Chapter 04's step on the GPU: one thread per row.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dcounts_sum = -dcounts_sum_inv / counts_sum**2.
void counts_sum_backward(const Launch& l, float* dcounts_sum, const float* dcounts_sum_inv,
                         const float* counts_sum) {
    for_each_element(l, l.d.n, [=] __device__(int i) {
        dcounts_sum[i] = math::dcounts_sum(dcounts_sum_inv[i], counts_sum[i]);
    });
}

}  // namespace ninja::gpu
