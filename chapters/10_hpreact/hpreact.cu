// Chapter 10's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dhpreact = (1 - h**2) * dh.
void hpreact_backward(const Launch& l, float* dhpreact, const float* dh, const float* h) {
    for_each_element(l, l.d.n * l.d.H,
                     [=] __device__(int k) { dhpreact[k] = math::dhpreact(h[k], dh[k]); });
}

}  // namespace ninja::gpu
