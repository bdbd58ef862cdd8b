// Chapter 14's step on the GPU: one thread per element.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbndiff2[i, j] = 1/(n-1) * dbnvar[j].
void bndiff2_backward(const Launch& l, float* dbndiff2, const float* dbnvar,
                      const float* /*bndiff2: its shape*/) {
    const int n = l.d.n, H = l.d.H;
    for_each_element(l, n * H,
                     [=] __device__(int k) { dbndiff2[k] = math::dbndiff2(dbnvar[k % H], n); });
}

}  // namespace ninja::gpu
