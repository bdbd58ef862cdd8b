/// @file
/// @brief The notebook's `cmp`: how a hand-derived gradient is compared with a reference.
#pragma once

#include <algorithm>
#include <cmath>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>

#include <xtensor/xtensor.hpp>

#include "common/error.hpp"

namespace ninja {

/// torch.allclose's default tolerances: |a - b| <= atol + rtol * |b|, elementwise.
inline constexpr double allclose_rtol = 1e-5;
/// See allclose_rtol.
inline constexpr double allclose_atol = 1e-8;

/// The outcome of comparing a gradient `dt` with a reference `t` of the same shape.
struct Comparison {
    std::string name;         ///< the tensor whose gradient was compared
    bool exact = true;        ///< every element equal (`(dt == t).all()`)
    bool approximate = true;  ///< `torch.allclose(dt, t)`
    double maxdiff = 0;       ///< `(dt - t).abs().max()`, computed in the tensors' precision
    double max_reldiff = 0;   ///< the largest |dt - t| / |t| over elements with t != 0
};

/// The shape of a tensor as PyTorch prints it, e.g. "(32, 27)".
template <class S>
std::string shape_string(const S& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

/// The larger of `running` and `value`, where a NaN wins and then stays: the maximum of a set of
/// differences that holds a NaN is NaN, as PyTorch's `max()` is. (`std::max` and a plain `<`
/// drop a NaN, or let a later finite value overwrite it.) Use it for every running maximum of
/// differences, errors or residuals.
template <class T>
T nan_max(T running, T value) {
    return std::isnan(running) || std::isnan(value) ? std::numeric_limits<T>::quiet_NaN()
                                                    : std::max(running, value);
}

/// Compares `dt` with `t` elementwise. Tensors of different shapes are an error (InputError),
/// never a "False": a gradient must have exactly the shape of its tensor.
template <class A, class B>
Comparison compare(std::string_view name, const A& dt, const B& t) {
    if (!std::equal(dt.shape().begin(), dt.shape().end(), t.shape().begin(), t.shape().end()))
        throw InputError("cmp(" + std::string(name) + "): shapes " + shape_string(dt.shape()) +
                         " and " + shape_string(t.shape()) + " differ");
    using T = typename A::value_type;
    Comparison c{std::string(name)};
    auto a = dt.begin();
    for (auto b = t.begin(); b != t.end(); ++a, ++b) {
        const T x = *a, y = static_cast<T>(*b);
        const T diff = std::abs(x - y);  // in the tensors' own precision, as PyTorch computes it
        c.exact = c.exact && x == y;
        c.approximate = c.approximate && diff <= allclose_atol + allclose_rtol * std::abs(y);
        c.maxdiff = nan_max(c.maxdiff, static_cast<double>(diff));
        if (y != 0) c.max_reldiff = nan_max(c.max_reldiff, double(diff) / std::abs(double(y)));
    }
    return c;
}

/// Formats a double the way Python's `repr(float)` does: the shortest decimal string that reads
/// back as the same double, in scientific notation below 1e-4 and from 1e16 on
/// (`0.0`, `0.25`, `4.656612873077393e-10`, `nan`).
std::string python_float(double value);

/// The notebook's line:
/// `f'{name:15s} | exact: {ex:5s} | approximate: {app:5s} | maxdiff: {maxdiff}'`.
std::string format_cmp(const Comparison& c);

/// Writes `line` and a newline (kept out of the header so that it needs no `<ostream>`).
void print_line(std::ostream& out, const std::string& line);

/// Compares, prints the notebook's line on `out`, and returns the comparison.
template <class A, class B>
Comparison cmp(std::string_view name, const A& dt, const B& t, std::ostream& out) {
    Comparison c = compare(name, dt, t);
    print_line(out, format_cmp(c));
    return c;
}

}  // namespace ninja
