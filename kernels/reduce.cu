// The reductions over a broadcast axis (kernels/launch.cuh) and the matrix products (cuBLAS).
#include "kernels/kernels.hpp"
#include "kernels/launch.cuh"

namespace ninja::gpu {
namespace {

/// out[o] = scale * sum_{t < count} a[o * outer + t * inner] * (b ? the same of b : 1): one block
/// per output o; thread t adds terms t, t + 256, ... then the block adds its threads. A column
/// sum of a (rows, cols) tensor is outer 1, inner cols; a row sum outer cols, inner 1.
__global__ void strided_sum_kernel(float* out, const float* a, const float* b, float scale,
                                   int count, int outer, int inner) {
    __shared__ float partial[threads_per_block];
    const int o = blockIdx.x;
    float sum = 0.0f;
    for (int t = threadIdx.x; t < count; t += blockDim.x) {
        const int k = o * outer + t * inner;
        sum += b ? a[k] * b[k] : a[k];
    }
    partial[threadIdx.x] = sum;
    tree_sum(partial);
    if (threadIdx.x == 0) out[o] = scale * partial[0];
}

}  // namespace

void column_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
                cudaStream_t s) {
    strided_sum_kernel<<<cols, threads_per_block, 0, s>>>(out, a, b, scale, rows, 1, cols);
    NINJA_CUDA_CHECK_LAUNCH();
}

void row_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
             cudaStream_t s) {
    strided_sum_kernel<<<rows, threads_per_block, 0, s>>>(out, a, b, scale, cols, cols, 1);
    NINJA_CUDA_CHECK_LAUNCH();
}

// ---- matrix products -------------------------------------------------------------------------
//
// cuBLAS is column-major; our tensors are row-major. A row-major (r, c) matrix read as
// column-major is its transpose (c, r), with leading dimension c. So instead of
// C = op(A) @ op(B) we ask cuBLAS for C^T = op(B)^T @ op(A)^T: pass B first, then A, swap M and
// N, keep each transpose flag as it is, and give every matrix the leading dimension of its
// row-major storage (its number of columns). C^T column-major is exactly C row-major.
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, int M, int N, int K, const float* A,
          const float* B, float* C, float beta) {
    const float alpha = 1.0f;
    const int lda = trans_a ? M : K;  // A stored (K, M) when transposed, else (M, K)
    const int ldb = trans_b ? K : N;  // B stored (N, K) when transposed, else (K, N)
    NINJA_CUBLAS_CHECK(cublasSgemm(blas, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                   trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, N, M, K, &alpha, B, ldb, A,
                                   lda, &beta, C, N));
}

}  // namespace ninja::gpu
