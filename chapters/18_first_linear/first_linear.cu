// Chapter 18's step on the GPU: two matrix products (cuBLAS) and a column sum.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dembcat = dhprebn @ W1^T, dW1 = embcat^T @ dhprebn, db1 = dhprebn.sum(0).
void first_linear_backward(const Launch& l, float* dembcat, float* dW1, float* db1,
                           const float* dhprebn, const float* embcat, const float* W1) {
    const int n = l.d.n, BE = l.d.B * l.d.E, H = l.d.H;
    gemm(l.blas, false, true, n, BE, H, dhprebn, W1, dembcat);  // (n, H) @ W1^T (H, B*E)
    gemm(l.blas, true, false, BE, H, n, embcat, dhprebn, dW1);  // embcat^T (B*E, n) @ (n, H)
    column_sum(db1, dhprebn, nullptr, 1.0f, n, H, l.stream);    // db1 = dhprebn.sum(0)
}

}  // namespace ninja::gpu
