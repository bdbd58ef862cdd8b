// Chapter 24's step on the GPU: two column sums, and one thread per element of dhprebn.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dlnbias = dhpreact.sum(0), dlngain = (dhpreact * lnraw).sum(0), and
/// dhprebn = lnvar_inv/H * (H*dlnraw - dlnraw.sum(1) - lnraw*(dlnraw*lnraw).sum(1)), where
/// dlnraw = lngain * dhpreact. Each thread adds up its row's two sums itself (H is small).
void layernorm_backward(const Launch& l, float* dhprebn, float* dlngain, float* dlnbias,
                        const float* dhpreact, const float* lnraw, const float* lngain,
                        const float* lnvar_inv) {
    const int n = l.d.n, H = l.d.H;
    column_sum(dlnbias, dhpreact, nullptr, 1.0f, n, H, l.stream);
    column_sum(dlngain, dhpreact, lnraw, 1.0f, n, H, l.stream);
    for_each_element(l, n * H, [=] __device__(int k) {
        const int i = k / H;
        float sum = 0.0f, sum_raw = 0.0f;  // over row i: dlnraw, and dlnraw * lnraw
        for (int j = 0; j < H; ++j) {
            const float d = lngain[j] * dhpreact[i * H + j];
            sum += d;
            sum_raw += d * lnraw[i * H + j];
        }
        const float dlnraw = lngain[k % H] * dhpreact[k];
        dhprebn[k] = lnvar_inv[i] / float(H) * (float(H) * dlnraw - sum - lnraw[k] * sum_raw);
    });
}

}  // namespace ninja::gpu
