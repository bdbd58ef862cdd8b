// Chapter 11's step on the GPU: two column sums and one thread per element of dbnraw.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbngain = (bnraw * dhpreact).sum(0), dbnbias = dhpreact.sum(0), dbnraw = bngain * dhpreact.
void batchnorm_scale_backward(const Launch& l, float* dbngain, float* dbnbias, float* dbnraw,
                              const float* dhpreact, const float* bnraw, const float* bngain) {
    const int n = l.d.n, H = l.d.H;
    column_sum(dbngain, bnraw, dhpreact, 1.0f, n, H, l.stream);
    column_sum(dbnbias, dhpreact, nullptr, 1.0f, n, H, l.stream);
    for_each_element(
        l, n * H, [=] __device__(int k) { dbnraw[k] = math::dbnraw(bngain[k % H], dhpreact[k]); });
}

}  // namespace ninja::gpu
