// Chapter 13's step on the GPU: one thread per column.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbnvar = -0.5 * (bnvar + eps)**-1.5 * dbnvar_inv.
void bnvar_backward(const Launch& l, float* dbnvar, const float* dbnvar_inv, const float* bnvar) {
    for_each_element(l, l.d.H,
                     [=] __device__(int j) { dbnvar[j] = math::dbnvar(dbnvar_inv[j], bnvar[j]); });
}

}  // namespace ninja::gpu
