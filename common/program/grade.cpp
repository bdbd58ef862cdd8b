#include "common/program/grade.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace ninja {

namespace {

/// The shortest decimal form of `value` that reads back as the same `T` ("0.0123", "-1e-05").
template <class T>
std::string shortest_decimal(T value) {
    char text[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, double(value));
        if (static_cast<T>(std::strtod(text, nullptr)) == value) break;
    }
    return text;
}

/// Where `yours` differs most from `expected`: a NaN counts as the largest difference.
struct LargestDifference {
    std::string index;     ///< e.g. "[3, 17]"
    std::string yours;     ///< the learner's value there
    std::string expected;  ///< the reference's value there
};

/// Finds the element of largest |yours - expected| of two tensors of the same shape.
template <class A>
LargestDifference largest_difference(const A& yours, const A& expected) {
    using T = typename A::value_type;
    std::size_t worst = 0, flat = 0;
    double worst_diff = -1;
    auto b = expected.begin();
    for (auto a = yours.begin(); a != yours.end(); ++a, ++b, ++flat) {
        const double diff = std::abs(double(*a) - double(*b));
        if (std::isnan(diff) ? !std::isnan(worst_diff) : diff > worst_diff)
            worst = flat, worst_diff = diff;
        if (std::isnan(diff)) break;
    }
    std::vector<std::size_t> index(yours.dimension());  // row-major unravel of `worst`
    for (std::size_t d = index.size(), rest = worst; d-- > 0;)
        index[d] = rest % yours.shape()[d], rest /= yours.shape()[d];
    LargestDifference out{"[", "", ""};
    for (std::size_t d = 0; d < index.size(); ++d)
        out.index += (d ? ", " : "") + std::to_string(index[d]);
    out.index += "]";
    out.yours = shortest_decimal(T(yours.data()[worst]));
    out.expected = shortest_decimal(T(expected.data()[worst]));
    return out;
}

/// The verdict's line for one of the learner's gradients, or "" when it is close enough;
/// `exact` becomes false unless it is equal bit for bit.
template <class G>
std::string judge(std::string_view name, const G& mine, const G& theirs, bool name_it,
                  bool& exact) {
    const std::string d = "d" + std::string(name);
    if (!std::equal(mine.shape().begin(), mine.shape().end(), theirs.shape().begin(),
                    theirs.shape().end())) {
        std::cout << d << " has shape " << shape_string(mine.shape()) << ", not "
                  << shape_string(theirs.shape()) << '\n';
        return d + " has shape " + shape_string(mine.shape()) + "; it must have the shape of " +
               std::string(name) + ", " + shape_string(theirs.shape());
    }
    const Comparison c = compare(name, mine, theirs);
    std::cout << format_cmp(c) << '\n';
    exact &= c.exact;
    if (c.approximate) return {};
    const LargestDifference where = largest_difference(mine, theirs);
    return (name_it ? d + ": " : std::string()) + "largest difference at " + where.index +
           ": yours " + where.yours + ", expected " + where.expected;
}

}  // namespace

template <class T>
int grade(const ChapterRun<T>& r, const std::vector<TensorId>& printed,
          const std::vector<TensorId>& own) {
    std::vector<std::string> wrong;
    bool exact = true;
    for (TensorId id : printed) {
        const bool is_own = std::find(own.begin(), own.end(), id) != own.end();
        visit_pair(id, r.g, r.expected, [&](const auto& mine, const auto& theirs) {
            bool ignored = true;
            const std::string line =
                judge(info(id).name, mine, theirs, own.size() > 1, is_own ? exact : ignored);
            if (is_own && !line.empty()) wrong.push_back(line);
        });
    }
    for (const std::string& line : wrong) std::cout << "verdict: wrong: " << line << '\n';
    if (!wrong.empty()) return exit_mismatch;
    std::cout << (exact ? "verdict: correct\n" : "verdict: correct up to rounding\n");
    return exit_ok;
}

template int grade(const ChapterRun<float>&, const std::vector<TensorId>&,
                   const std::vector<TensorId>&);
template int grade(const ChapterRun<double>&, const std::vector<TensorId>&,
                   const std::vector<TensorId>&);

}  // namespace ninja
