// The CUDA kernels of the backward steps, one per chapter (kernels/chain.cpp chains them).
//
// Reading guide. Every tensor is float32, row-major, with the shapes of common/tensor_table.hpp's legend
// (n batch, B block, E embedding, H hidden, V vocabulary). Three kinds of kernel appear:
// - elementwise: one thread per output element; the math is a call into kernels/elementwise.hpp,
//   the same functions the CPU tests check against the chapters' xtensor steps;
// - reductions over a broadcast axis: one block per output element (a column for the sums over
//   the batch, a row for the sums over the vocabulary); the block's threads stride over the
//   reduced axis, then combine their partial sums in a shared-memory tree;
// - matrix products: cuBLAS, through gemm() in reduce.cu (row-major on top of column-major cuBLAS).
#include "kernels/kernels.hpp"

#include "kernels/elementwise.hpp"
#include "kernels/launch.cuh"

namespace ninja::gpu {
namespace {

/// out[k] = in[k]: a plain copy, one thread per element.
__global__ void copy_kernel(float* out, const float* in, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) out[k] = in[k];
}

// ---- backward: one kernel per chapter ----------------------------------------------------------

/// Chapter 01: dlogprobs[i, j] = -1/n if j == Yb[i] else 0. One thread per element.
__global__ void logprobs_backward_kernel(float* dlogprobs, const std::int64_t* Yb, int n, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * V) dlogprobs[k] = math::dlogprobs(k % V == Yb[k / V], n);
}

/// Chapter 02: dprobs = dlogprobs / probs. One thread per element.
__global__ void probs_backward_kernel(float* dprobs, const float* dlogprobs, const float* probs,
                                      int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dprobs[k] = math::dprobs(dlogprobs[k], probs[k]);
}

// Chapter 03: dcounts_sum_inv = (counts * dprobs).sum(1): row_sum(counts, dprobs).

/// Chapter 04: dcounts_sum = -dcounts_sum_inv / counts_sum**2. One thread per row.
__global__ void counts_sum_backward_kernel(float* dcounts_sum, const float* dcounts_sum_inv,
                                           const float* counts_sum, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) dcounts_sum[i] = math::dcounts_sum(dcounts_sum_inv[i], counts_sum[i]);
}

/// Chapter 05: dcounts[i, j] = counts_sum_inv[i] * dprobs[i, j] + dcounts_sum[i].
__global__ void counts_backward_kernel(float* dcounts, const float* dprobs,
                                       const float* counts_sum_inv, const float* dcounts_sum, int n,
                                       int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * V) return;
    const int i = k / V;
    dcounts[k] = math::dcounts(counts_sum_inv[i], dprobs[k], dcounts_sum[i]);
}

/// Chapter 06: dnorm_logits = counts * dcounts. One thread per element.
__global__ void norm_logits_backward_kernel(float* dnorm_logits, const float* dcounts,
                                            const float* counts, int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dnorm_logits[k] = math::dnorm_logits(counts[k], dcounts[k]);
}

// Chapter 07: dlogit_maxes = -dnorm_logits.sum(1): row_sum(dnorm_logits) scaled by -1.

/// Chapter 08: dlogits = dnorm_logits, plus dlogit_maxes[i] at row i's first maximum.
/// One thread per element; each scans its row for the first maximum (V is small).
__global__ void logits_backward_kernel(float* dlogits, const float* dnorm_logits,
                                       const float* dlogit_maxes, const float* logits, int n,
                                       int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * V) return;
    const int i = k / V, j = k % V;
    int winner = 0;
    for (int c = 1; c < V; ++c)
        if (logits[i * V + c] > logits[i * V + winner]) winner = c;
    dlogits[k] = math::dlogits(dnorm_logits[k], j == winner, dlogit_maxes[i]);
}

// Chapter 09: two gemms and a column sum (second_linear_backward below).

/// Chapter 10: dhpreact = (1 - h**2) * dh. One thread per element.
__global__ void hpreact_backward_kernel(float* dhpreact, const float* dh, const float* h,
                                        int count) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < count) dhpreact[k] = math::dhpreact(h[k], dh[k]);
}

/// Chapter 11 (elementwise part): dbnraw = bngain * dhpreact.
__global__ void bnraw_backward_kernel(float* dbnraw, const float* bngain, const float* dhpreact,
                                      int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbnraw[k] = math::dbnraw(bngain[k % H], dhpreact[k]);
}

// Chapter 12: dbnvar_inv = (bndiff * dbnraw).sum(0): column_sum(bndiff, dbnraw).

/// Chapter 13: dbnvar = -0.5 * (bnvar + eps)**-1.5 * dbnvar_inv. One thread per column.
__global__ void bnvar_backward_kernel(float* dbnvar, const float* dbnvar_inv, const float* bnvar,
                                      int H) {
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < H) dbnvar[j] = math::dbnvar(dbnvar_inv[j], bnvar[j]);
}

/// Chapter 14: dbndiff2[i, j] = 1/(n-1) * dbnvar[j]. One thread per element.
__global__ void bndiff2_backward_kernel(float* dbndiff2, const float* dbnvar, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbndiff2[k] = math::dbndiff2(dbnvar[k % H], n);
}

/// Chapter 15: dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2. One thread per element.
__global__ void bndiff_backward_kernel(float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                                       const float* dbndiff2, const float* bndiff, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dbndiff[k] = math::dbndiff(bnvar_inv[k % H], dbnraw[k], bndiff[k], dbndiff2[k]);
}

// Chapter 16: dbnmeani = -dbndiff.sum(0): column_sum(dbndiff) scaled by -1.

/// Chapter 17: dhprebn = dbndiff + 1/n * dbnmeani. One thread per element.
__global__ void hprebn_backward_kernel(float* dhprebn, const float* dbndiff, const float* dbnmeani,
                                       int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < n * H) dhprebn[k] = math::dhprebn(dbndiff[k], dbnmeani[k % H], n);
}

// Chapter 18: two gemms and a column sum (first_linear_backward below).
// Chapter 19: demb = dembcat.view(n, B, E): a copy (copy_kernel).

/// Chapter 20: dC[v, e] = sum over (i, k) with Xb[i, k] == v of demb[i, k, e].
/// One thread per element of dC, looping over the n*B lookups: deterministic, no atomics.
__global__ void embedding_table_backward_kernel(float* dC, const float* demb,
                                                const std::int64_t* Xb, int lookups, int E, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= V * E) return;
    const int v = k / E, e = k % E;
    float sum = 0.0f;
    for (int ik = 0; ik < lookups; ++ik)
        if (Xb[ik] == v) sum += demb[ik * E + e];
    dC[k] = sum;
}

/// Chapter 21 (fused cross-entropy): dlogits = (softmax(logits) - onehot(Yb)) / n.
/// One thread per row: the row's maximum, the sum of the shifted exponentials, then V outputs.
__global__ void cross_entropy_backward_kernel(float* dlogits, const float* logits,
                                              const std::int64_t* Yb, int n, int V) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* row = logits + i * V;
    float m = row[0];
    for (int j = 1; j < V; ++j) m = fmaxf(m, row[j]);
    float sum = 0.0f;
    for (int j = 0; j < V; ++j) sum += expf(row[j] - m);
    for (int j = 0; j < V; ++j)
        dlogits[i * V + j] = math::dlogits_fused(expf(row[j] - m), sum, j == Yb[i], n);
}

/// Chapter 22 (fused batchnorm), one block per column j:
/// dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0)).
/// The block first reduces the column's two sums in shared memory, then writes its n outputs.
__global__ void batchnorm_backward_kernel(float* dhprebn, const float* dhpreact, const float* bnraw,
                                          const float* bngain, const float* bnvar_inv, int n,
                                          int H) {
    __shared__ float partial[threads_per_block];
    __shared__ float partial2[threads_per_block];
    const int j = blockIdx.x;
    float s = 0.0f, s2 = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        s += dhpreact[i * H + j];
        s2 += dhpreact[i * H + j] * bnraw[i * H + j];
    }
    partial[threadIdx.x] = s;
    partial2[threadIdx.x] = s2;
    for (int stride = threads_per_block / 2; stride > 0; stride /= 2) {
        __syncthreads();
        if (threadIdx.x < stride) {
            partial[threadIdx.x] += partial[threadIdx.x + stride];
            partial2[threadIdx.x] += partial2[threadIdx.x + stride];
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        dhprebn[i * H + j] = math::dhprebn_fused(bngain[j], bnvar_inv[j], n, dhpreact[i * H + j],
                                                 partial[0], bnraw[i * H + j], partial2[0]);
}

}  // namespace

// ---- the backward launchers, one per chapter ---------------------------------------------------

void logprobs_backward(float* dlogprobs, const std::int64_t* Yb, int n, int V, cudaStream_t s) {
    logprobs_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(dlogprobs, Yb, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void probs_backward(float* dprobs, const float* dlogprobs, const float* probs, int n, int V,
                    cudaStream_t s) {
    probs_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(dprobs, dlogprobs, probs,
                                                                          n * V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void counts_sum_inv_backward(float* dcounts_sum_inv, const float* dprobs, const float* counts,
                             int n, int V, cudaStream_t s) {
    row_sum(dcounts_sum_inv, counts, dprobs, 1.0f, n, V, s);
}

void counts_sum_backward(float* dcounts_sum, const float* dcounts_sum_inv, const float* counts_sum,
                         int n, cudaStream_t s) {
    counts_sum_backward_kernel<<<blocks_for(n), threads_per_block, 0, s>>>(
        dcounts_sum, dcounts_sum_inv, counts_sum, n);
    NINJA_CUDA_CHECK_LAUNCH();
}

void counts_backward(float* dcounts, const float* dprobs, const float* counts_sum_inv,
                     const float* dcounts_sum, int n, int V, cudaStream_t s) {
    counts_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(
        dcounts, dprobs, counts_sum_inv, dcounts_sum, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void norm_logits_backward(float* dnorm_logits, const float* dcounts, const float* counts, int n,
                          int V, cudaStream_t s) {
    norm_logits_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(
        dnorm_logits, dcounts, counts, n * V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void logit_maxes_backward(float* dlogit_maxes, const float* dnorm_logits, int n, int V,
                          cudaStream_t s) {
    row_sum(dlogit_maxes, dnorm_logits, nullptr, -1.0f, n, V, s);
}

void logits_backward(float* dlogits, const float* dnorm_logits, const float* dlogit_maxes,
                     const float* logits, int n, int V, cudaStream_t s) {
    logits_backward_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(
        dlogits, dnorm_logits, dlogit_maxes, logits, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void second_linear_backward(cublasHandle_t blas, float* dh, float* dW2, float* db2,
                            const float* dlogits, const float* h, const float* W2, int n, int H,
                            int V, cudaStream_t s) {
    gemm(blas, false, true, n, H, V, dlogits, W2, dh);  // dh  = dlogits (n, V) @ W2^T (V, H)
    gemm(blas, true, false, H, V, n, h, dlogits, dW2);  // dW2 = h^T (H, n) @ dlogits (n, V)
    column_sum(db2, dlogits, nullptr, 1.0f, n, V, s);   // db2 = dlogits.sum(0)
}

void hpreact_backward(float* dhpreact, const float* dh, const float* h, int n, int H,
                      cudaStream_t s) {
    hpreact_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(dhpreact, dh, h, n * H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void batchnorm_scale_backward(float* dbngain, float* dbnbias, float* dbnraw, const float* dhpreact,
                              const float* bnraw, const float* bngain, int n, int H,
                              cudaStream_t s) {
    column_sum(dbngain, bnraw, dhpreact, 1.0f, n, H, s);    // dbngain = (bnraw * dhpreact).sum(0)
    column_sum(dbnbias, dhpreact, nullptr, 1.0f, n, H, s);  // dbnbias = dhpreact.sum(0)
    bnraw_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(dbnraw, bngain, dhpreact,
                                                                          n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void bnvar_inv_backward(float* dbnvar_inv, const float* dbnraw, const float* bndiff, int n, int H,
                        cudaStream_t s) {
    column_sum(dbnvar_inv, bndiff, dbnraw, 1.0f, n, H, s);
}

void bnvar_backward(float* dbnvar, const float* dbnvar_inv, const float* bnvar, int H,
                    cudaStream_t s) {
    bnvar_backward_kernel<<<blocks_for(H), threads_per_block, 0, s>>>(dbnvar, dbnvar_inv, bnvar, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void bndiff2_backward(float* dbndiff2, const float* dbnvar, int n, int H, cudaStream_t s) {
    bndiff2_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(dbndiff2, dbnvar, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void bndiff_backward(float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                     const float* dbndiff2, const float* bndiff, int n, int H, cudaStream_t s) {
    bndiff_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(
        dbndiff, dbnraw, bnvar_inv, dbndiff2, bndiff, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void bnmeani_backward(float* dbnmeani, const float* dbndiff, int n, int H, cudaStream_t s) {
    column_sum(dbnmeani, dbndiff, nullptr, -1.0f, n, H, s);
}

void hprebn_backward(float* dhprebn, const float* dbndiff, const float* dbnmeani, int n, int H,
                     cudaStream_t s) {
    hprebn_backward_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(dhprebn, dbndiff,
                                                                           dbnmeani, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

void first_linear_backward(cublasHandle_t blas, float* dembcat, float* dW1, float* db1,
                           const float* dhprebn, const float* embcat, const float* W1, int n,
                           int BE, int H, cudaStream_t s) {
    gemm(blas, false, true, n, BE, H, dhprebn, W1,
         dembcat);  // dembcat = dhprebn (n, H) @ W1^T (H, B*E)
    gemm(blas, true, false, BE, H, n, embcat, dhprebn,
         dW1);                                         // dW1 = embcat^T (B*E, n) @ dhprebn (n, H)
    column_sum(db1, dhprebn, nullptr, 1.0f, n, H, s);  // db1 = dhprebn.sum(0)
}

void emb_backward(float* demb, const float* dembcat, int count, cudaStream_t s) {
    copy_kernel<<<blocks_for(count), threads_per_block, 0, s>>>(demb, dembcat, count);
    NINJA_CUDA_CHECK_LAUNCH();
}

void embedding_table_backward(float* dC, const float* demb, const std::int64_t* Xb, int n, int B,
                              int E, int V, cudaStream_t s) {
    embedding_table_backward_kernel<<<blocks_for(V * E), threads_per_block, 0, s>>>(dC, demb, Xb,
                                                                                    n * B, E, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void cross_entropy_backward(float* dlogits, const float* logits, const std::int64_t* Yb, int n,
                            int V, cudaStream_t s) {
    cross_entropy_backward_kernel<<<blocks_for(n), threads_per_block, 0, s>>>(dlogits, logits, Yb,
                                                                              n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

void batchnorm_backward(float* dhprebn, const float* dhpreact, const float* bnraw,
                        const float* bngain, const float* bnvar_inv, int n, int H, cudaStream_t s) {
    batchnorm_backward_kernel<<<H, threads_per_block, 0, s>>>(dhprebn, dhpreact, bnraw, bngain,
                                                              bnvar_inv, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
