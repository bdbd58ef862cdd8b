// Chapter 09's step on the GPU: two matrix products (cuBLAS) and a column sum.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dh = dlogits @ W2^T, dW2 = h^T @ dlogits, db2 = dlogits.sum(0).
void second_linear_backward(const Launch& l, float* dh, float* dW2, float* db2,
                            const float* dlogits, const float* h, const float* W2) {
    const int n = l.d.n, H = l.d.H, V = l.d.V;
    gemm(l.blas, false, true, n, H, V, dlogits, W2, dh);      // dh  = dlogits (n, V) @ W2^T (V, H)
    gemm(l.blas, true, false, H, V, n, h, dlogits, dW2);      // dW2 = h^T (H, n) @ dlogits (n, V)
    column_sum(db2, dlogits, nullptr, 1.0f, n, V, l.stream);  // db2 = dlogits.sum(0)
}

}  // namespace ninja::gpu
