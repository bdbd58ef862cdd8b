/// @file
/// @brief The CUDA kernels of the chapters: one launcher per backward step of chapters 01-22,
/// in the plain form a learner reads (one thread per element), and the table that chains them
/// into a chapter's GPU `backward`. (The training loop fuses the whole step into one kernel:
/// kernels/train_step.hpp.)
///
/// Everything here takes raw device pointers and sizes (float32, row-major, the shapes of
/// common/tensor_table.hpp's legend: n batch, B block, E embedding, H hidden, V vocabulary).
/// The host side (chapter_backward.cpp) moves xtensor tensors to and from these buffers.
/// Launchers only enqueue work on `stream`; they never synchronise. A failed launch or cuBLAS call
/// throws ninja::gpu::CudaError (kernels/check.hpp) naming the call and its source file and line.
#pragma once

#include <cstdint>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "common/tensor_table.hpp"
#include "kernels/check.hpp"
#include "kernels/dims.hpp"

namespace ninja::gpu {

/// The seven parameters on the device (one pointer per parameter of the table in
/// common/tensor_table.hpp; shapes as in ninja::Params).
struct Params {
#define NINJA_POINTER(kind, name, ...) NINJA_IF_##kind(float* name = nullptr;)
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of parameter `id` (null for an intermediate).
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_##kind(case TensorId::name : return &name;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                return nullptr;
        }
    }
};

/// Every intermediate of the forward pass on the device (one pointer per intermediate of the
/// table; shapes as in ninja::Forward). `embcat` is `emb` seen as (n, B*E): the same memory, as
/// `emb.view(n, -1)` in PyTorch.
struct Forward {
#define NINJA_POINTER(kind, name, ...) NINJA_IF_NOT_##kind(float* name = nullptr;)
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of intermediate `id` (null for a parameter).
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_NOT_##kind(case TensorId::name : return &name;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                return nullptr;
        }
    }
};

/// Every gradient on the device (one pointer per tensor of the table; shapes as in
/// ninja::Grads).
struct Grads {
#define NINJA_POINTER(kind, name, ...) float* d##name = nullptr;
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of the gradient of tensor `id`.
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) \
    case TensorId::name:            \
        return &d##name;
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
        }
        return nullptr;
    }
};

/// The minibatch on the device: the indices as int64, as on the host.
struct Batch {
    const std::int64_t* Xb = nullptr;  ///< (n, B) contexts
    const std::int64_t* Yb = nullptr;  ///< (n,) targets
};

/// Everything one chapter's GPU backward reads and writes, and where it runs.
struct Model {
    Dims d;                         ///< the sizes
    Params p;                       ///< the parameters
    Forward f;                      ///< the forward pass's intermediates
    Grads g;                        ///< the gradients
    Batch b;                        ///< the minibatch
    cublasHandle_t blas = nullptr;  ///< bound to `stream` by the caller
    cudaStream_t stream = nullptr;  ///< where every step is enqueued
};

// ---- matrix products -------------------------------------------------------------------------

/// Row-major C (M, N) = alpha * op(A) (M, K) @ op(B) (K, N) + beta * C, through cuBLAS (which is
/// column-major). `trans_a`: A is stored as (K, M) and used transposed; likewise `trans_b`.
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, int M, int N, int K, const float* A,
          const float* B, float* C, float beta = 0.0f);

// ---- the backward steps, one launcher per chapter ----------------------------------------------

/// Chapter 01: dlogprobs[i, j] = -1/n if j == Yb[i] else 0.
void logprobs_backward(float* dlogprobs, const std::int64_t* Yb, int n, int V,
                       cudaStream_t s);  // 01
/// Chapter 02: dprobs = dlogprobs / probs.
void probs_backward(float* dprobs, const float* dlogprobs, const float* probs, int n, int V,
                    cudaStream_t s);
/// Chapter 03: dcounts_sum_inv = (counts * dprobs).sum(1) (a row reduction).
void counts_sum_inv_backward(float* dcounts_sum_inv, const float* dprobs, const float* counts,
                             int n, int V, cudaStream_t s);
/// Chapter 04: dcounts_sum = -dcounts_sum_inv / counts_sum**2.
void counts_sum_backward(float* dcounts_sum, const float* dcounts_sum_inv, const float* counts_sum,
                         int n, cudaStream_t s);
/// Chapter 05: dcounts = counts_sum_inv * dprobs + dcounts_sum (broadcast over V).
void counts_backward(float* dcounts, const float* dprobs, const float* counts_sum_inv,
                     const float* dcounts_sum, int n, int V, cudaStream_t s);
/// Chapter 06: dnorm_logits = counts * dcounts.
void norm_logits_backward(float* dnorm_logits, const float* dcounts, const float* counts, int n,
                          int V, cudaStream_t s);
/// Chapter 07: dlogit_maxes = -dnorm_logits.sum(1) (a row reduction).
void logit_maxes_backward(float* dlogit_maxes, const float* dnorm_logits, int n, int V,
                          cudaStream_t s);
/// Chapter 08: dlogits = dnorm_logits, plus dlogit_maxes at each row's first maximum.
void logits_backward(float* dlogits, const float* dnorm_logits, const float* dlogit_maxes,
                     const float* logits, int n, int V, cudaStream_t s);
/// Chapter 09: dh = dlogits @ W2^T, dW2 = h^T @ dlogits (cuBLAS), db2 = dlogits.sum(0).
void second_linear_backward(cublasHandle_t blas, float* dh, float* dW2, float* db2,
                            const float* dlogits, const float* h, const float* W2, int n, int H,
                            int V, cudaStream_t s);
/// Chapter 10: dhpreact = (1 - h**2) * dh.
void hpreact_backward(float* dhpreact, const float* dh, const float* h, int n, int H,
                      cudaStream_t s);
/// Chapter 11: dbngain = (bnraw * dhpreact).sum(0), dbnbias = dhpreact.sum(0), dbnraw = bngain * dhpreact.
void batchnorm_scale_backward(float* dbngain, float* dbnbias, float* dbnraw, const float* dhpreact,
                              const float* bnraw, const float* bngain, int n, int H,
                              cudaStream_t s);
/// Chapter 12: dbnvar_inv = (bndiff * dbnraw).sum(0) (a column reduction).
void bnvar_inv_backward(float* dbnvar_inv, const float* dbnraw, const float* bndiff, int n, int H,
                        cudaStream_t s);
/// Chapter 13: dbnvar = -0.5 * (bnvar + 1e-5)**-1.5 * dbnvar_inv.
void bnvar_backward(float* dbnvar, const float* dbnvar_inv, const float* bnvar, int H,
                    cudaStream_t s);
/// Chapter 14: dbndiff2 = 1/(n-1) * dbnvar, broadcast over the n rows.
void bndiff2_backward(float* dbndiff2, const float* dbnvar, int n, int H, cudaStream_t s);
/// Chapter 15: dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2.
void bndiff_backward(float* dbndiff, const float* dbnraw, const float* bnvar_inv,
                     const float* dbndiff2, const float* bndiff, int n, int H, cudaStream_t s);
/// Chapter 16: dbnmeani = -dbndiff.sum(0) (a column reduction).
void bnmeani_backward(float* dbnmeani, const float* dbndiff, int n, int H, cudaStream_t s);
/// Chapter 17: dhprebn = dbndiff + 1/n * dbnmeani.
void hprebn_backward(float* dhprebn, const float* dbndiff, const float* dbnmeani, int n, int H,
                     cudaStream_t s);
/// Chapter 18: dembcat = dhprebn @ W1^T, dW1 = embcat^T @ dhprebn (cuBLAS), db1 = dhprebn.sum(0); BE = B*E.
void first_linear_backward(cublasHandle_t blas, float* dembcat, float* dW1, float* db1,
                           const float* dhprebn, const float* embcat, const float* W1, int n,
                           int BE, int H, cudaStream_t s);
/// Chapter 19: demb = dembcat.view(n, B, E): a copy of `count` elements.
void emb_backward(float* demb, const float* dembcat, int count, cudaStream_t s);
/// Chapter 20: dC[v] = sum of demb[i, k] over the lookups with Xb[i, k] == v.
void embedding_table_backward(float* dC, const float* demb, const std::int64_t* Xb, int n, int B,
                              int E, int V, cudaStream_t s);
/// Chapter 21 (fused cross-entropy): dlogits = (softmax(logits) - onehot(Yb)) / n.
void cross_entropy_backward(float* dlogits, const float* logits, const std::int64_t* Yb, int n,
                            int V, cudaStream_t s);
/// Chapter 22 (fused batchnorm): dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0)).
void batchnorm_backward(float* dhprebn, const float* dhpreact, const float* bnraw,
                        const float* bngain, const float* bnvar_inv, int n, int H, cudaStream_t s);

// ---- the chapters' GPU backward --------------------------------------------------------------

/// Whether `chapter` has a step on the GPU (backward() runs it).
bool has_chapter(int chapter);

/// Chapter `chapter`'s GPU backward, mirroring the CPU chain:
/// - 1..20: steps[1], ..., steps[chapter] in order;
/// - 21: the fused cross-entropy alone (dlogits from logits in one step);
/// - 22: the fused cross-entropy, chapters 09, 10 and 11 (dbngain, dbnbias), then the fused
///   batchnorm (dhprebn).
/// Throws CudaError for a failed launch, std::out_of_range for a chapter without a GPU step.
void backward(int chapter, Model& m);

}  // namespace ninja::gpu
