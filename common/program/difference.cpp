#include "common/program/difference.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>

#include "common/cmp.hpp"

namespace ninja {

namespace {

/// How precisely a pattern must hold, relative to the size of what it describes. Rounding
/// separates a float32 gradient from PyTorch's by about 1e-7 of its size; a typical mistake
/// moves elements by a sizeable fraction of theirs. 1e-3 lies between the two by orders of
/// magnitude on both sides.
constexpr double pattern_tolerance = 1e-3;

/// "-0.004091": four significant digits.
std::string short_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

/// "3, 17, 20": at most six numbers, then ", ...".
std::string list(const std::vector<std::size_t>& numbers) {
    std::string text;
    for (std::size_t k = 0; k < numbers.size() && k < 6; ++k)
        text += (k ? ", " : "") + std::to_string(numbers[k]);
    return numbers.size() > 6 ? text + ", ..." : text;
}

/// The gradient seen as a grid: rows are the first axis, columns everything after it (a 1-D
/// tensor is one row of elements).
struct Grid {
    std::size_t rows = 1, cols = 1;
    bool columns = false;  ///< true for a 2-D tensor: its columns are columns

    explicit Grid(const std::vector<std::size_t>& shape) : columns(shape.size() == 2) {
        for (std::size_t d = 0; d < shape.size(); ++d)
            (d == 0 && shape.size() > 1 ? rows : cols) *= shape[d];
    }
    std::size_t at(std::size_t i, std::size_t j) const { return i * cols + j; }
    /// "(32, 1)": the shape of a term that depends on the row only.
    std::string row_term() const { return "(" + std::to_string(rows) + ", 1)"; }
    /// "(1, 27)": the shape of a term that depends on the column only.
    std::string col_term() const { return "(1, " + std::to_string(cols) + ")"; }
};

/// What is compared: yours, the expected values, and which elements allclose rejects.
struct Pair {
    const std::vector<double>& mine;
    const std::vector<double>& expected;
    std::vector<bool> wrong;
    double largest_difference = 0;  ///< max |mine - expected|
    double largest_expected = 0;    ///< max |expected|

    Pair(const std::vector<double>& m, const std::vector<double>& x) : mine(m), expected(x) {
        for (std::size_t k = 0; k < m.size(); ++k) {
            const double d = std::abs(m[k] - x[k]);
            wrong.push_back(!(d <= allclose_atol + allclose_rtol * std::abs(x[k])));
            largest_difference = std::max(largest_difference, d);
            largest_expected = std::max(largest_expected, std::abs(x[k]));
        }
    }
    double difference(std::size_t k) const { return mine[k] - expected[k]; }
};

/// The factor c with mine = c * expected at every element of `ks`, if there is one.
std::optional<double> common_factor(const Pair& p, const std::vector<std::size_t>& ks) {
    std::size_t largest = ks.front();
    for (std::size_t k : ks)
        if (std::abs(p.expected[k]) > std::abs(p.expected[largest])) largest = k;
    if (p.expected[largest] == 0) return std::nullopt;
    const double c = p.mine[largest] / p.expected[largest];
    const double tolerance = pattern_tolerance * std::abs(c * p.expected[largest]) + allclose_atol;
    for (std::size_t k : ks)
        if (!(std::abs(p.mine[k] - c * p.expected[k]) <= tolerance)) return std::nullopt;
    return c;
}

/// True when mine - expected takes one value over `ks`.
bool constant_difference(const Pair& p, const std::vector<std::size_t>& ks) {
    const double tolerance = pattern_tolerance * p.largest_difference + allclose_atol;
    for (std::size_t k : ks)
        if (!(std::abs(p.difference(k) - p.difference(ks.front())) <= tolerance)) return false;
    return true;
}

/// The flat positions of row i, or of column j.
std::vector<std::size_t> row_of(const Grid& g, std::size_t i) {
    std::vector<std::size_t> ks;
    for (std::size_t j = 0; j < g.cols; ++j) ks.push_back(g.at(i, j));
    return ks;
}
std::vector<std::size_t> col_of(const Grid& g, std::size_t j) {
    std::vector<std::size_t> ks;
    for (std::size_t i = 0; i < g.rows; ++i) ks.push_back(g.at(i, j));
    return ks;
}

/// True when `holds` is true of every row (or of every column) of the grid.
bool every(std::size_t count, const std::function<bool(std::size_t)>& holds) {
    for (std::size_t i = 0; i < count; ++i)
        if (!holds(i)) return false;
    return true;
}

/// What a factor means, if it is one of the usual slips: "the sign", "(n-1)/n, with n = 32".
std::string meaning_of(double c, std::size_t n) {
    if (std::abs(c + 1) <= 1e-4) return ": the sign";
    const double m = double(n);
    const std::pair<double, const char*> named[] = {
        {m / (m - 1), "n/(n-1)"}, {(m - 1) / m, "(n-1)/n"}, {m, "n"},
        {1 / m, "1/n"},           {m - 1, "n-1"},           {1 / (m - 1), "1/(n-1)"}};
    for (const auto& [value, name] : named)
        if (n > 1 && std::abs(c - value) <= 1e-4 * std::abs(value))
            return std::string(": a factor ") + name + ", with n = " + std::to_string(n);
    return "";
}

/// "31/32" when the factor is a fraction with a small denominator, else four digits.
std::string factor_string(double c) {
    for (int q = 1; q <= 64; ++q) {
        const double p = std::round(c * q);
        if (std::abs(c * q - p) <= 1e-4 * std::abs(c) * q)
            return q == 1 ? short_number(p) : short_number(p) + "/" + std::to_string(q);
    }
    return short_number(c);
}

/// Everything that holds of the whole tensor: zero, a factor, a constant. `noun` is what the
/// tensor is: "gradient", "update".
std::optional<std::string> whole_tensor_pattern(const Pair& p, std::size_t n,
                                                const std::string& noun) {
    std::vector<std::size_t> all(p.mine.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    if (std::all_of(p.mine.begin(), p.mine.end(), [](double v) { return v == 0; }))
        return "yours is zero everywhere";
    if (const std::optional<double> c = common_factor(p, all))
        if (std::abs(*c - 1) > pattern_tolerance)
            return "yours is the expected " + noun + " times " + factor_string(*c) + " everywhere" +
                   meaning_of(*c, n);
    if (constant_difference(p, all))
        return "yours is the expected " + noun + " plus one constant, " +
               short_number(p.difference(0)) + ", everywhere";
    return std::nullopt;
}

/// How close to 1 yours / expected must be everywhere for a difference to count as a small
/// relative error: far above rounding (1e-7 in float32), far below a typical mistake (1e-2 and
/// more: a factor, a missing term).
constexpr double small_relative = 1e-3;

/// The largest |yours / expected - 1| of the rejected elements, when every element of the
/// tensor is within small_relative of expected: a slightly different constant (eps) rather than
/// another formula.
std::optional<double> small_relative_error(const Pair& p) {
    double largest = 0;
    for (std::size_t k = 0; k < p.mine.size(); ++k) {
        const double scale = std::abs(p.expected[k]);
        const double error = std::abs(p.difference(k));
        if (!(error <= small_relative * scale + allclose_atol)) return std::nullopt;
        if (p.wrong[k]) largest = std::max(largest, error / scale);
    }
    return largest;
}

/// The indices along `axis` that hold a rejected element.
std::vector<std::size_t> indices_with_errors(const Pair& p, const std::vector<std::size_t>& shape,
                                             std::size_t axis) {
    std::size_t inner = 1;
    for (std::size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
    std::vector<bool> bad(shape[axis], false);
    for (std::size_t k = 0; k < p.wrong.size(); ++k)
        if (p.wrong[k]) bad[(k / inner) % shape[axis]] = true;
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < bad.size(); ++i)
        if (bad[i]) indices.push_back(i);
    return indices;
}

/// "only rows 3, 17 differ (2 of 32)", "only column 4 differs (1 of 27)", "only indices 1, 2
/// along axis 1 differ (2 of 3)"; "" unless at most three quarters of them differ.
std::string only(const std::vector<std::size_t>& shape, std::size_t axis,
                 const std::vector<std::size_t>& indices) {
    const std::size_t of = shape[axis];
    if (of < 2 || 4 * indices.size() > 3 * of) return "";
    const bool one = indices.size() == 1;
    const char* words[][2] = {{"row", "rows"}, {"column", "columns"}};
    const std::string noun = shape.size() == 1   ? (one ? "element" : "elements")
                             : shape.size() == 2 ? words[axis][one ? 0 : 1]
                                                 : (one ? "index" : "indices");
    const std::string along = shape.size() > 2 ? " along axis " + std::to_string(axis) : "";
    return "only " + noun + " " + list(indices) + along + (one ? " differs (" : " differ (") +
           std::to_string(indices.size()) + " of " + std::to_string(of) + ")";
}

/// "exactly one element in each row differs (row 0: column 9, ...)", or "" (also when they
/// all are in one column: that is a column's business). When that column is each row's target,
/// it says so.
std::string one_per_row(const Pair& p, const Grid& g, const std::vector<std::size_t>& targets) {
    if (g.rows == 1 || g.cols == 1) return "";
    std::string where;
    std::vector<std::size_t> columns;
    for (std::size_t i = 0; i < g.rows; ++i) {
        std::vector<std::size_t> in_row;
        for (std::size_t j = 0; j < g.cols; ++j)
            if (p.wrong[g.at(i, j)]) in_row.push_back(j);
        if (in_row.size() != 1) return "";
        columns.push_back(in_row[0]);
        if (i < 3)
            where += "row " + std::to_string(i) + ": column " + std::to_string(in_row[0]) + ", ";
    }
    if (std::all_of(columns.begin(), columns.end(), [&](std::size_t j) { return j == columns[0]; }))
        return "";
    if (columns == targets) return "exactly one element in each row differs: the target's (Yb)";
    return "exactly one element in each row differs (" + where + "...)";
}

/// Where the rejected elements are: in some rows only, one per row, in some columns only.
std::string placement(const Pair& p, const std::vector<std::size_t>& shape,
                      const std::vector<std::size_t>& targets) {
    if (std::string line = only(shape, 0, indices_with_errors(p, shape, 0)); !line.empty())
        return line;
    if (std::string line = one_per_row(p, Grid(shape), targets); !line.empty()) return line;
    for (std::size_t axis = 1; axis < shape.size(); ++axis)
        if (std::string line = only(shape, axis, indices_with_errors(p, shape, axis));
            !line.empty())
            return line;
    return "";
}

/// A difference or a factor that depends on the row only, or on the column only (2-D tensors).
std::string broadcast_pattern(const Pair& p, const Grid& g) {
    if (!g.columns || g.rows < 2 || g.cols < 2) return "";
    const auto by_row = [&](std::size_t i) { return constant_difference(p, row_of(g, i)); };
    const auto by_col = [&](std::size_t j) { return constant_difference(p, col_of(g, j)); };
    const auto row_factor = [&](std::size_t i) {
        return common_factor(p, row_of(g, i)).has_value();
    };
    const auto col_factor = [&](std::size_t j) {
        return common_factor(p, col_of(g, j)).has_value();
    };
    if (every(g.rows, by_row))
        return "the difference is constant along each row, like a " + g.row_term() +
               " term broadcast over the columns";
    if (every(g.cols, by_col))
        return "the difference is constant down each column, like a " + g.col_term() +
               " term broadcast over the rows";
    if (every(g.rows, row_factor))
        return "yours / expected is constant along each row: a factor per row, like a " +
               g.row_term() + " tensor";
    if (every(g.cols, col_factor))
        return "yours / expected is constant down each column: a factor per column, like a " +
               g.col_term() + " tensor";
    return "";
}

/// "[3, 17]".
std::string index_string(std::size_t flat, const std::vector<std::size_t>& shape) {
    std::vector<std::size_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) index[d] = flat % shape[d], flat /= shape[d];
    std::string text = "[";
    for (std::size_t d = 0; d < index.size(); ++d)
        text += (d ? ", " : "") + std::to_string(index[d]);
    return text + "]";
}

}  // namespace

std::string describe_difference(const FlatTensor& mine, const FlatTensor& expected, std::size_t n,
                                const std::vector<std::size_t>& targets, const std::string& noun) {
    if (mine.values.empty() || mine.values.size() != expected.values.size()) return "";
    std::size_t non_finite = 0, first = 0;
    for (std::size_t k = mine.values.size(); k-- > 0;)
        if (!std::isfinite(mine.values[k])) ++non_finite, first = k;
    if (non_finite > 0)
        return "yours has " + std::to_string(non_finite) + " NaN or infinite element" +
               (non_finite > 1 ? "s" : "") + ", the first at " + index_string(first, mine.shape);
    const Pair p(mine.values, expected.values);
    if (std::none_of(p.wrong.begin(), p.wrong.end(), [](bool w) { return w; })) return "";
    if (std::optional<std::string> line = whole_tensor_pattern(p, n, noun)) return *line;
    const std::string where = placement(p, mine.shape, targets);
    if (const std::optional<double> r = small_relative_error(p))
        return (where.empty() ? "yours differs" : where + ", each") +
               " by a relative error of at most " + short_number(*r) +
               ": a small constant such as eps (1e-5), left out or added?";
    return where.empty() ? broadcast_pattern(p, Grid(mine.shape)) : where;
}

std::string describe_shape_mismatch(const std::vector<std::size_t>& mine,
                                    const std::vector<std::size_t>& expected) {
    std::size_t mine_size = 1, expected_size = 1;
    for (std::size_t s : mine) mine_size *= s;
    for (std::size_t s : expected) expected_size *= s;
    if (mine.empty() || mine_size == 0) return "yours is empty: did the step write it?";
    if (mine.size() + 1 == expected.size() && expected[0] == 1 &&
        std::equal(mine.begin(), mine.end(), expected.begin() + 1))
        return "the right numbers, without the leading axis of length 1: keep the summed axis "
               "(xt::keep_dims)";
    if (mine.size() == expected.size() + 1 && mine[0] == 1 &&
        std::equal(expected.begin(), expected.end(), mine.begin() + 1))
        return "the right numbers with an extra leading axis of length 1: this gradient is " +
               std::to_string(expected.size()) + "-D, sum without xt::keep_dims";
    if (mine.size() == expected.size()) {
        for (std::size_t d = 0; d < mine.size(); ++d) {
            if (mine[d] == 1 && expected[d] > 1)
                return "length 1 along axis " + std::to_string(d) + " where " +
                       std::to_string(expected[d]) +
                       " are needed: a broadcast back over that "
                       "axis is missing";
            if (mine[d] > 1 && expected[d] == 1)
                return "length " + std::to_string(mine[d]) + " along axis " + std::to_string(d) +
                       " where 1 is needed: sum over that axis (keeping it, xt::keep_dims)";
        }
        if (mine.size() == 2 && mine[0] == expected[1] && mine[1] == expected[0])
            return "the transposed shape: a product in the wrong order, or a missing transpose?";
        for (std::size_t d = 0; d < mine.size(); ++d)
            if (mine[d] != expected[d])
                return "length " + std::to_string(mine[d]) + " along axis " + std::to_string(d) +
                       " where " + std::to_string(expected[d]) +
                       " are needed: a sum or a product over the wrong axis?";
    }
    if (mine_size == expected_size)
        return "the right number of elements in another shape: reshape to the tensor's shape";
    return "";
}

}  // namespace ninja
