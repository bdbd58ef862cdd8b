/// @file
/// @brief Chapter 23's matrix products: row-major products through one `cblas_sgemm` call,
/// and the set-up of OpenBLAS for the small products of a training step (one thread; the name
/// of the kernels it runs, which decide the speed).
#pragma once

#include <cstddef>

#include <xtensor-blas/xlinalg.hpp>  // cblas_sgemm

namespace ninja {

/// Makes OpenBLAS use one thread: the training step's products are far too small to share.
/// (Nothing with another BLAS.)
void use_one_blas_thread();

/// The kernels OpenBLAS runs: the ones it chose for the CPU, or those `OPENBLAS_CORETYPE` names
/// ("Haswell": AVX2; "SkylakeX", "Cooperlake": AVX-512); "unknown" with another BLAS.
const char* blas_kernels();

/// `C = alpha * op(A) @ op(B) + beta * C` for row-major float matrices (op: transpose or not),
/// one cblas_sgemm.
/// @param[in,out] C    (M, N)
/// @param A            (M, K), or (K, M) when transpose_A
/// @param transpose_A  whether op(A) is A's transpose
/// @param B            (K, N), or (N, K) when transpose_B
/// @param transpose_B  whether op(B) is B's transpose
/// @param M            rows of C
/// @param N            columns of C
/// @param K            the summed dimension
/// @param alpha        the factor of the product
/// @param beta         the factor of C's previous content (0: C is overwritten)
inline void matmul(float* C, const float* A, bool transpose_A, const float* B, bool transpose_B,
                   std::size_t M, std::size_t N, std::size_t K, float alpha = 1.0f,
                   float beta = 0.0f) {
    const int lda = int(transpose_A ? M : K), ldb = int(transpose_B ? K : N);
    cblas_sgemm(CblasRowMajor, transpose_A ? CblasTrans : CblasNoTrans,
                transpose_B ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), alpha, A, lda, B,
                ldb, beta, C, int(N));
}

}  // namespace ninja
