/// @file
/// @brief The SIMD loops of the fast code (chapter 21's one-pass cross-entropy, chapter 22's
/// fast step, chapter 23's trainer and evaluation), each written once: a sweep over contiguous
/// values or columns a SIMD vector at a time with a scalar remainder, a map, the sums down the
/// columns of a row-major block, and the largest value and the sum of a row.
///
/// The bodies are written once for a float (or double) and for a SIMD vector of them: a generic
/// lambda takes either, and load_as() / store_to() read and write either. Every sum adds its
/// terms in a fixed order, the same in every lane as in the scalar remainder.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace ninja {

/// The SIMD vector of floats of the build's target (8 lanes with AVX2).
using fbatch = xsimd::batch<float>;

/// Loads a scalar (V is T) or a SIMD vector of T (V is xsimd::batch<T>) from `p`.
template <class V, class T>
inline V load_as(const T* p) {
    if constexpr (std::is_same_v<V, T>)
        return *p;
    else
        return V::load_unaligned(p);
}

/// Stores a scalar or a SIMD vector at `p`.
template <class T, class V>
inline void store_to(T* p, const V& v) {
    if constexpr (std::is_same_v<V, T>)
        *p = v;
    else
        v.store_unaligned(p);
}

/// The sweep every loop here is made of: calls `fn(k, xsimd::batch<T>())` for the SIMD vectors
/// [k, k + L) of [0, count), then `fn(k, T())` for each value left over. The second argument
/// only tells the body its type (`using Vec = decltype(lanes)`), so that one body written with
/// load_as<Vec>() and store_to() serves both.
template <class T, class Fn>
inline void over_columns(std::size_t count, Fn&& fn) {
    constexpr std::size_t L = xsimd::batch<T>::size;
    std::size_t k = 0;
    for (; k + L <= count; k += L) fn(k, xsimd::batch<T>());
    for (; k < count; ++k) fn(k, T());
}

/// `out[k] = f(in[k])` for `count` values (in place when out == in); `f` takes a scalar or a
/// SIMD vector (a generic lambda).
template <class T, class F>
inline void map_values(T* out, const T* in, std::size_t count, F&& f) {
    over_columns<T>(count, [&](std::size_t k, auto lanes) {
        store_to(out + k, f(load_as<decltype(lanes)>(in + k)));
    });
}

/// `x[k] = exp(x[k])` for `count` values: xsimd's exp (the function `xt::exp` uses in the
/// forward pass) on the SIMD vectors, std::exp on the rest.
template <class T>
inline void exp_inplace(T* x, std::size_t count) {
    map_values(x, x, count, [](auto v) {
        using std::exp;
        using xsimd::exp;
        return exp(v);
    });
}

/// `out[j] = the sum over r < m of row(r)[j]` for j < cols, where `row(r)` points at a row of
/// cols values: down the columns, the rows added in order from 0, each sum in a register. With
/// `row(r) = x + r * cols` it is the column sums of a row-major (m, cols) block, `x.sum(0)`.
/// The columns go eight SIMD vectors at a time, so that eight independent sums are in flight.
template <class T, class Row>
inline void sum_rows(T* out, Row&& row, std::size_t m, std::size_t cols) {
    using batch = xsimd::batch<T>;
    constexpr std::size_t R = 8, block = R * batch::size;
    std::size_t t = 0;
    for (; t + block <= cols; t += block) {
        batch acc[R];
        for (std::size_t k = 0; k < R; ++k) acc[k] = batch(T(0));
        for (std::size_t r = 0; r < m; ++r)
            for (std::size_t k = 0; k < R; ++k)
                acc[k] += batch::load_unaligned(row(r) + t + k * batch::size);
        for (std::size_t k = 0; k < R; ++k) acc[k].store_unaligned(out + t + k * batch::size);
    }
    over_columns<T>(cols - t, [&](std::size_t c, auto lanes) {
        using Vec = decltype(lanes);
        Vec acc(T(0));
        for (std::size_t r = 0; r < m; ++r) acc += load_as<Vec>(row(r) + t + c);
        store_to(out + t + c, acc);
    });
}

/// `out = x.sum(0)` for a row-major (n, cols) block `x`: sum_rows() of its rows.
template <class T>
inline void column_sums(T* out, const T* x, std::size_t n, std::size_t cols) {
    sum_rows(
        out, [x, cols](std::size_t i) { return x + i * cols; }, n, cols);
}

/// The largest of `count` values (at least one). The order of the comparisons cannot change a
/// maximum, so they run on SIMD vectors, lane by lane, then across the lanes.
template <class T>
inline T max_of(const T* x, std::size_t count) {
    using batch = xsimd::batch<T>;
    T m = x[0];
    std::size_t k = 0;
    if (count >= batch::size) {
        batch mb = batch::load_unaligned(x);
        for (k = batch::size; k + batch::size <= count; k += batch::size)
            mb = xsimd::max(mb, batch::load_unaligned(x + k));
        alignas(64) T lanes[batch::size];
        mb.store_aligned(lanes);
        m = *std::max_element(lanes, lanes + batch::size);
    }
    for (; k < count; ++k) m = std::max(m, x[k]);
    return m;
}

/// The sum of `count` values: SIMD vectors lane by lane, then the lanes, then the remainder.
/// (The order of a floating-point sum changes its rounding: chapter 21's fast pass and chapter
/// 23's evaluation both use this one.)
template <class T>
inline T sum_of(const T* x, std::size_t count) {
    using batch = xsimd::batch<T>;
    std::size_t k = 0;
    T s = 0;
    if (count >= batch::size) {
        batch sb = batch::load_unaligned(x);
        for (k = batch::size; k + batch::size <= count; k += batch::size)
            sb += batch::load_unaligned(x + k);
        s = xsimd::hadd(sb);
    }
    for (; k < count; ++k) s += x[k];
    return s;
}

}  // namespace ninja
