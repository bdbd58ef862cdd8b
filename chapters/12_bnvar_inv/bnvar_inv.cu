// Chapter 12's step on the GPU: a column reduction.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbnvar_inv = (bndiff * dbnraw).sum(0): one block per column (kernels/launch.cuh).
void bnvar_inv_backward(const Launch& l, float* dbnvar_inv, const float* dbnraw,
                        const float* bndiff) {
    column_sum(dbnvar_inv, bndiff, dbnraw, 1.0f, l.d.n, l.d.H, l.stream);
}

}  // namespace ninja::gpu
