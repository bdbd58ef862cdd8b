// The reductions over a broadcast axis (kernels/launch.cuh) and the matrix products (cuBLAS).
#include "kernels/kernels.hpp"
#include "kernels/launch.cuh"

namespace ninja::gpu {
namespace {

/// Column sums: out[j] = scale * sum_i a[i, j] * (b ? b[i, j] : 1), for a, b (rows, cols).
/// One block per column j; thread t adds rows t, t + 256, ... then the block adds its threads.
__global__ void column_sum_kernel(float* out, const float* a, const float* b, float scale, int rows,
                                  int cols) {
    __shared__ float partial[threads_per_block];
    const int j = blockIdx.x;
    float sum = 0.0f;
    for (int i = threadIdx.x; i < rows; i += blockDim.x)
        sum += b ? a[i * cols + j] * b[i * cols + j] : a[i * cols + j];
    partial[threadIdx.x] = sum;
    tree_sum(partial);
    if (threadIdx.x == 0) out[j] = scale * partial[0];
}

/// Row sums: out[i] = scale * sum_j a[i, j] * (b ? b[i, j] : 1), one block per row i.
__global__ void row_sum_kernel(float* out, const float* a, const float* b, float scale, int rows,
                               int cols) {
    __shared__ float partial[threads_per_block];
    const int i = blockIdx.x;
    float sum = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x)
        sum += b ? a[i * cols + j] * b[i * cols + j] : a[i * cols + j];
    partial[threadIdx.x] = sum;
    tree_sum(partial);
    if (threadIdx.x == 0) out[i] = scale * partial[0];
}

}  // namespace

void column_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
                cudaStream_t s) {
    column_sum_kernel<<<cols, threads_per_block, 0, s>>>(out, a, b, scale, rows, cols);
    NINJA_CUDA_CHECK_LAUNCH();
}

void row_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
             cudaStream_t s) {
    row_sum_kernel<<<rows, threads_per_block, 0, s>>>(out, a, b, scale, rows, cols);
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
