// The forward pass on the GPU: the lecture's lines as kernels, one thread per element (see
// kernels/backward.cu for the reading guide).
#include "kernels/kernels.hpp"

#include "kernels/elementwise.hpp"
#include "kernels/launch.cuh"

namespace ninja::gpu {
namespace {

/// out[i, j] += bias[j] for out (rows, cols): the broadcast of a bias over the batch.
__global__ void add_bias_kernel(float* out, const float* bias, int rows, int cols) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k < rows * cols) out[k] += bias[k % cols];
}

// ---- forward -----------------------------------------------------------------------------------

/// emb[i, k, e] = C[Xb[i, k], e]; one thread per element of emb (n, B, E).
__global__ void embedding_kernel(float* emb, const float* C, const std::int64_t* Xb, int n, int B,
                                 int E) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * B * E) return;
    const int e = k % E, ik = k / E;  // ik = i * B + position
    emb[k] = C[Xb[ik] * E + e];
}

/// The batchnorm, elementwise part, one thread per (i, j) of (n, H):
/// bndiff = hprebn - bnmeani; bndiff2 = bndiff**2.
__global__ void bn_center_kernel(float* bndiff, float* bndiff2, const float* hprebn,
                                 const float* bnmeani, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * H) return;
    const float d = hprebn[k] - bnmeani[k % H];
    bndiff[k] = d;
    bndiff2[k] = d * d;
}

/// bnvar_inv = (bnvar + eps)**-0.5, one thread per column.
__global__ void bnvar_inv_kernel(float* bnvar_inv, const float* bnvar, int H) {
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < H) bnvar_inv[j] = math::bnvar_inv(bnvar[j]);
}

/// bnraw = bndiff * bnvar_inv; hpreact = bngain * bnraw + bnbias; h = tanh(hpreact).
__global__ void bn_scale_tanh_kernel(float* bnraw, float* hpreact, float* h, const float* bndiff,
                                     const float* bnvar_inv, const float* bngain,
                                     const float* bnbias, int n, int H) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * H) return;
    const int j = k % H;
    bnraw[k] = bndiff[k] * bnvar_inv[j];
    hpreact[k] = bngain[j] * bnraw[k] + bnbias[j];
    h[k] = tanhf(hpreact[k]);
}

/// logit_maxes[i] = max_j logits[i, j]; one thread per row (V is small).
__global__ void row_max_kernel(float* logit_maxes, const float* logits, int n, int V) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float m = logits[i * V];
    for (int j = 1; j < V; ++j) m = fmaxf(m, logits[i * V + j]);
    logit_maxes[i] = m;
}

/// norm_logits = logits - logit_maxes; counts = exp(norm_logits).
__global__ void softmax_numerator_kernel(float* norm_logits, float* counts, const float* logits,
                                         const float* logit_maxes, int n, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * V) return;
    norm_logits[k] = logits[k] - logit_maxes[k / V];
    counts[k] = expf(norm_logits[k]);
}

/// counts_sum_inv = 1 / counts_sum, one thread per row.
__global__ void reciprocal_kernel(float* counts_sum_inv, const float* counts_sum, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) counts_sum_inv[i] = 1.0f / counts_sum[i];
}

/// probs = counts * counts_sum_inv; logprobs = log(probs).
__global__ void probs_kernel(float* probs, float* logprobs, const float* counts,
                             const float* counts_sum_inv, int n, int V) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * V) return;
    probs[k] = counts[k] * counts_sum_inv[k / V];
    logprobs[k] = logf(probs[k]);
}

/// loss = -1/n * sum_i logprobs[i, Yb[i]]; one block, a tree reduction over the rows.
__global__ void loss_kernel(float* loss, const float* logprobs, const std::int64_t* Yb, int n,
                            int V) {
    __shared__ float partial[threads_per_block];
    float sum = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) sum += logprobs[i * V + Yb[i]];
    partial[threadIdx.x] = sum;
    tree_sum(partial);
    if (threadIdx.x == 0) *loss = -partial[0] / float(n);
}

}  // namespace

// ---- the forward pass ------------------------------------------------------------------------

void forward(Model& m) {
    const auto [n, B, E, H, V] = m.d;
    const cudaStream_t s = m.stream;
    Forward& f = m.f;
    embedding_kernel<<<blocks_for(n * B * E), threads_per_block, 0, s>>>(f.emb, m.p.C, m.b.Xb, n, B,
                                                                         E);
    NINJA_CUDA_CHECK_LAUNCH();
    gemm(m.blas, false, false, n, H, B * E, f.emb, m.p.W1, f.hprebn);  // embcat @ W1
    add_bias_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(f.hprebn, m.p.b1, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
    column_sum(f.bnmeani, f.hprebn, nullptr, 1.0f / float(n), n, H, s);
    bn_center_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(f.bndiff, f.bndiff2, f.hprebn,
                                                                     f.bnmeani, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
    column_sum(f.bnvar, f.bndiff2, nullptr, 1.0f / float(n - 1), n, H, s);
    bnvar_inv_kernel<<<blocks_for(H), threads_per_block, 0, s>>>(f.bnvar_inv, f.bnvar, H);
    NINJA_CUDA_CHECK_LAUNCH();
    bn_scale_tanh_kernel<<<blocks_for(n * H), threads_per_block, 0, s>>>(
        f.bnraw, f.hpreact, f.h, f.bndiff, f.bnvar_inv, m.p.bngain, m.p.bnbias, n, H);
    NINJA_CUDA_CHECK_LAUNCH();
    gemm(m.blas, false, false, n, V, H, f.h, m.p.W2, f.logits);  // h @ W2
    add_bias_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(f.logits, m.p.b2, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
    row_max_kernel<<<blocks_for(n), threads_per_block, 0, s>>>(f.logit_maxes, f.logits, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
    softmax_numerator_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(
        f.norm_logits, f.counts, f.logits, f.logit_maxes, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
    row_sum(f.counts_sum, f.counts, nullptr, 1.0f, n, V, s);
    reciprocal_kernel<<<blocks_for(n), threads_per_block, 0, s>>>(f.counts_sum_inv, f.counts_sum,
                                                                  n);
    NINJA_CUDA_CHECK_LAUNCH();
    probs_kernel<<<blocks_for(n * V), threads_per_block, 0, s>>>(f.probs, f.logprobs, f.counts,
                                                                 f.counts_sum_inv, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
    loss_kernel<<<1, threads_per_block, 0, s>>>(f.loss, f.logprobs, m.b.Yb, n, V);
    NINJA_CUDA_CHECK_LAUNCH();
}

}  // namespace ninja::gpu
