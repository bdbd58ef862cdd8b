/// @file
/// @brief The fast trainer's building blocks (chapter 23): one BLAS thread, a rational tanh,
/// SIMD sweeps over the columns of a row-major block, the fused sweep of chapters 10 and 22's
/// column sums, and row-major products through `cblas_sgemm`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "21_cross_entropy/cross_entropy_fast.hpp"
#include "22_batchnorm/batchnorm_fast.hpp"
#include "common/model.hpp"  // bn_eps

/// OpenBLAS's switch for its thread count and the name of the kernels it chose, declared weak so
/// that a build against another BLAS still links (the calls are then skipped).
extern "C" void openblas_set_num_threads(int) __attribute__((weak));
extern "C" char* openblas_get_corename() __attribute__((weak));

namespace ninja {

/// Makes OpenBLAS use one thread: the training step's products are far too small to share.
inline void use_one_blas_thread() {
    if (openblas_set_num_threads != nullptr) openblas_set_num_threads(1);
}

/// The kernels OpenBLAS runs: the ones it chose for the CPU, or those `OPENBLAS_CORETYPE` names
/// ("Haswell": AVX2; "SkylakeX", "Cooperlake": AVX-512); "unknown" with another BLAS.
inline const char* blas_kernels() {
    return openblas_get_corename != nullptr ? openblas_get_corename() : "unknown";
}

/// The SIMD vector of floats of the build's target (8 lanes with AVX2).
using fbatch = xsimd::batch<float>;

/// tanh as one rational function of \f$ t = x^2 \f$:
/// \f[ \tanh x \approx x\, \frac{p_0 + p_1 t + \dots + p_4 t^4}{1 + q_1 t + \dots + q_4 t^4}, \f]
/// on x clamped to \f$ \pm L \f$ with \f$ L = 7.9053 \f$, where \f$ 1 - \tanh L \approx 2.7
/// \cdot 10^{-7} \f$ is no larger than the error of the approximation itself. The coefficients
/// were fitted for this workbook by weighted least squares on [0, L], the weights updated until
/// the relative error was level (Lawson's iteration towards the minimax fit): 5.7e-9 in exact
/// arithmetic. Evaluated in float, the largest error is 3.0e-7 (5 units in the last place), and
/// the result never leaves (-1, 1). Eight fused multiply-adds and one division: about twice as
/// fast as xsimd's tanh, which evaluates two formulas and blends them. The training step would
/// otherwise spend a tenth of its time in tanh. `V` is a float or a SIMD vector of floats, with
/// the same result in every lane as for the float alone.
template <class V>
inline V tanh_rational(V x) {
    const V limit(7.90531110763549805f);
    x = xsimd::min(limit, xsimd::max(V(-7.90531110763549805f), x));
    const V t = x * x;
    V p(1.54171265857291e-08f);
    p = xsimd::fma(t, p, V(2.20162468424135e-05f));
    p = xsimd::fma(t, p, V(3.57859189610791e-03f));
    p = xsimd::fma(t, p, V(1.34502899197853e-01f));
    p = xsimd::fma(t, p, V(9.99999994336518e-01f));
    V q(8.59460847730599e-07f);
    q = xsimd::fma(t, q, V(3.42298016626464e-04f));
    q = xsimd::fma(t, q, V(2.61907359450998e-02f));
    q = xsimd::fma(t, q, V(4.67836179017635e-01f));
    q = xsimd::fma(t, q, V(1.0f));
    return x * p / q;
}

/// `out[k] = f(in[k])` for `count` floats (in place when out == in): SIMD vectors of 8, then
/// one float at a time; `f` takes a float or a SIMD vector of floats (a generic lambda).
template <class F>
inline void map_floats(float* out, const float* in, std::size_t count, F&& f) {
    constexpr std::size_t L = fbatch::size;
    std::size_t k = 0;
    for (; k + L <= count; k += L) f(fbatch::load_unaligned(in + k)).store_unaligned(out + k);
    for (; k < count; ++k) out[k] = f(in[k]);
}

/// `out[k] = tanh_rational(in[k])` for `count` values (in place when out == in).
inline void tanh_rational(float* out, const float* in, std::size_t count) {
    map_floats(out, in, count, [](auto x) { return tanh_rational(x); });
}

/// `bnvar_inv = (bnvar + eps)**-0.5`, written as the forward pass of common/model.hpp writes it;
/// for a float or a SIMD vector of floats (square root and division are exactly rounded in
/// both, so every lane gets the float's result).
template <class V>
inline V batchnorm_inv_std(V bnvar) {
    using std::sqrt;
    using xsimd::sqrt;
    return V(1.0f) / sqrt(bnvar + V(float(bn_eps)));
}

/// batchnorm_inv_std() of `count` floats.
inline void batchnorm_inv_std(float* out, const float* bnvar, std::size_t count) {
    map_floats(out, bnvar, count, [](auto v) { return batchnorm_inv_std(v); });
}

/// Calls `fn(t, fbatch())` for the SIMD vectors of columns [t, t + 8) of [0, count), then
/// `fn(t, 0.0f)` for each column left over: the body, written once with load_as<Vec>() and
/// store_to(), serves both.
template <class Fn>
inline void over_columns(std::size_t count, Fn&& fn) {
    constexpr std::size_t L = fbatch::size;
    std::size_t t = 0;
    for (; t + L <= count; t += L) fn(t, fbatch());
    for (; t < count; ++t) fn(t, 0.0f);
}

/// Loads a float or a SIMD vector of floats from `p`.
template <class V>
inline V load_as(const float* p) {
    if constexpr (std::is_same_v<V, float>)
        return *p;
    else
        return V::load_unaligned(p);
}

/// Stores a float or a SIMD vector of floats at `p`.
template <class V>
inline void store_to(float* p, const V& v) {
    if constexpr (std::is_same_v<V, float>)
        *p = v;
    else
        v.store_unaligned(p);
}

/// One entry of chapter 10's step, `dhpreact = (1 - h**2) * dh`.
template <class T>
inline T tanh_grad(T h, T dh) {
    return (T(1) - h * h) * dh;
}

/// `out[j] = sum over the n rows of x[i, j]`: down the columns a SIMD vector of columns at a
/// time, each sum in a register, the rows added in order.
template <class T>
void column_sums(T* out, const T* x, std::size_t n, std::size_t cols) {
    using batch = xsimd::batch<T>;
    std::size_t j = 0;
    for (; j + batch::size <= cols; j += batch::size) {
        batch sum(T(0));
        for (std::size_t i = 0; i < n; ++i) sum += batch::load_unaligned(x + i * cols + j);
        sum.store_unaligned(out + j);
    }
    for (; j < cols; ++j) {
        T sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += x[i * cols + j];
        out[j] = sum;
    }
}

/// Chapter 10's step and chapter 22's two column sums in one sweep down the columns:
/// `dhpreact = (1 - h**2) * dh`, then `dbnbias = dhpreact.sum(0)` and
/// `dbngain = (dhpreact * bnraw).sum(0)` from the values still in registers. The rows are added
/// in order, as in batchnorm_backward_sums(), so the sums are the same floats; `dh` and `h` are
/// read once instead of twice.
/// @param[out] dhpreact (n, H)
/// @param[out] dbngain  (1, H)
/// @param[out] dbnbias  (1, H)
/// @param h             (n, H)
/// @param dh            (n, H)
/// @param bnraw         (n, H)
/// @param n             rows (the batch)
/// @param H             columns (hidden units)
inline void tanh_batchnorm_sums(float* dhpreact, float* dbngain, float* dbnbias, const float* h,
                                const float* dh, const float* bnraw, std::size_t n, std::size_t H) {
    over_columns(H, [&](std::size_t j, auto lanes) {
        using Vec = decltype(lanes);
        Vec gain_sum(0.0f), bias_sum(0.0f);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = i * H + j;
            const Vec d = tanh_grad(load_as<Vec>(h + k), load_as<Vec>(dh + k));
            store_to(dhpreact + k, d);
            bias_sum += d;
            gain_sum += d * load_as<Vec>(bnraw + k);
        }
        store_to(dbngain + j, gain_sum);
        store_to(dbnbias + j, bias_sum);
    });
}

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

/// The parts of a training step, for a per-stage breakdown of its time.
enum class TrainStage {
    batch,
    forward_gemm,
    forward_elementwise,
    backward_gemm,
    backward_elementwise,
    update,
    count
};

/// The names of the TrainStage values, in order.
inline const char* stage_name(TrainStage s) {
    static const char* const names[] = {"minibatch (randint, gather)", "forward matmuls (2)",
                                        "forward elementwise",         "backward matmuls (4)",
                                        "backward elementwise",        "SGD update"};
    return names[int(s)];
}

/// A probe that measures nothing: the default of Trainer::step(), which then costs nothing.
struct NoProbe {
    /// Called when a stage ends.
    void operator()(TrainStage) {}
};

/// How the trainer computes the three products that involve `embcat` (see Trainer).
enum class EmbeddingProducts {
    as_chapters,  ///< `embcat @ W1`, then chapters 18, 19 and 20 as written
    by_symbol     ///< each distinct symbol of a context position once (the default: faster)
};

}  // namespace ninja
