// Chapter 15's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2.
void bndiff_backward(const Launch& l, float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                     const float* dbndiff2, const float* bndiff) {
    const int H = l.d.H;
    for_each_element(l, l.d.n * H, [=] __device__(int k) {
        dbndiff[k] = math::dbndiff(bnvar_inv[k % H], dbnraw[k], bndiff[k], dbndiff2[k]);
    });
}

}  // namespace ninja::gpu
