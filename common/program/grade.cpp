#include "common/program/grade.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "common/program/difference.hpp"

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

/// The verdict's entry for one of the learner's gradients, or "" when it is close enough:
/// where it differs most, then indented lines on how it differs. `exact` becomes false unless it
/// is equal bit for bit. Prints the cmp line (or the shapes).
template <class G>
std::string judge(std::string_view name, const G& mine, const G& theirs, const Batch& batch,
                  bool& exact) {
    const std::string d = "d" + std::string(name);
    const std::vector<std::size_t> my_shape(mine.shape().begin(), mine.shape().end());
    const std::vector<std::size_t> their_shape(theirs.shape().begin(), theirs.shape().end());
    if (my_shape != their_shape) {
        std::cout << d << " has shape " << shape_string(my_shape) << ", not "
                  << shape_string(their_shape) << '\n';
        const std::string why = describe_shape_mismatch(my_shape, their_shape);
        return d + " has shape " + shape_string(my_shape) + "; it must have the shape of " +
               std::string(name) + ", " + shape_string(their_shape) +
               (why.empty() ? "" : "\n  how it differs: " + why);
    }
    const Comparison c = compare(name, mine, theirs);
    std::cout << format_cmp(c) << '\n';
    exact &= c.exact;
    if (c.approximate) return {};
    const LargestDifference where = largest_difference(mine, theirs);
    std::string entry = d + ": largest difference at " + where.index + ": yours " + where.yours +
                        ", expected " + where.expected;
    const std::vector<std::size_t> targets(batch.Yb.begin(), batch.Yb.end());
    const std::string how =
        describe_difference(flatten(mine), flatten(theirs), batch.size(), targets);
    return how.empty() ? entry : entry + "\n  how it differs: " + how;
}

/// Judges each gradient of `ids` in `r` (printing its cmp line); adds the wrong ones of `own`
/// to the verdict, each entry starting with `prefix`, and returns them.
template <class T>
std::vector<TensorId> judge_all(Verdict& v, const ChapterRun<T>& r,
                                const std::vector<TensorId>& ids, const std::vector<TensorId>& own,
                                const std::string& prefix) {
    std::vector<TensorId> wrong;
    for (TensorId id : ids) {
        const bool is_own = std::find(own.begin(), own.end(), id) != own.end();
        visit_pair(id, r.g, r.expected, [&](const auto& mine, const auto& theirs) {
            bool ignored = true;
            const std::string entry =
                judge(info(id).name, mine, theirs, r.batch, is_own ? v.exact : ignored);
            if (!is_own || entry.empty()) return;
            v.wrong.push_back(prefix + entry);
            wrong.push_back(id);
        });
    }
    return wrong;
}

/// "dnorm_logits and dlogit_maxes".
std::string and_list(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t k = 0; k < names.size(); ++k)
        text += (k == 0 ? "" : k + 1 == names.size() ? " and " : ", ") + names[k];
    return text;
}

}  // namespace

template <class T>
Verdict grade(const ChapterRun<T>& r, const ChapterInfo& chapter,
              const std::vector<TensorId>& printed,
              const std::optional<ChapterRun<double>>& made_up) {
    Verdict v;
    const std::vector<TensorId> wrong = judge_all(v, r, printed, chapter.grads, "");
    if (!made_up) return v;
    std::vector<std::string> read;
    for (TensorId id : gradients_read(chapter)) read.push_back("d" + std::string(info(id).name));
    const std::string what = "made-up " + and_list(read);
    std::cout << "\ncompared with the solution's step on " << what
              << " (random numbers, float64):\n";
    std::vector<TensorId> not_yet_wrong;  // a gradient already wrong above is not told twice
    for (TensorId id : chapter.grads)
        if (std::find(wrong.begin(), wrong.end(), id) == wrong.end()) not_yet_wrong.push_back(id);
    Verdict on_made_up;  // its `exact` is not used: rounding on made-up numbers says nothing
    judge_all(on_made_up, *made_up, chapter.grads, not_yet_wrong, "on " + what + ": ");
    v.wrong.insert(v.wrong.end(), on_made_up.wrong.begin(), on_made_up.wrong.end());
    return v;
}

int print_verdict(const Verdict& v) {
    for (const std::string& entry : v.wrong) std::cout << "verdict: wrong: " << entry << '\n';
    if (!v.wrong.empty()) return exit_mismatch;
    std::cout << (v.exact ? "verdict: correct\n" : "verdict: correct up to rounding\n");
    return exit_ok;
}

template <class T>
void dump_expected(const ChapterRun<T>& r, const std::optional<ChapterRun<double>>& made_up,
                   const ChapterInfo& chapter, const std::string& dir) {
    std::size_t count = 0;
    const auto write = [&](const auto& grads, TensorId id, const std::string& name) {
        grads.visit(id, [&](const auto& t) { write_npy(dir, name, t); });
        ++count;
    };
    for (TensorId id : chapter.grads) {
        const std::string d = "d" + std::string(info(id).name);
        write(r.expected, id, "expected_" + d);
        if (!made_up) continue;
        write(made_up->g, id, "made_up_" + d);
        write(made_up->expected, id, "made_up_expected_" + d);
    }
    if (made_up)  // the made-up gradients the steps read: no step writes them
        for (TensorId id : gradients_read(chapter))
            write(made_up->expected, id, "made_up_d" + std::string(info(id).name));
    std::cout << "wrote " << count << " more tensors to " << dir
              << ": the expected gradients (expected_*.npy)"
              << (made_up ? " and the run on made-up gradients (made_up_*.npy)" : "") << "\n";
}

#define NINJA_GRADE(T)                                                                             \
    template Verdict grade(const ChapterRun<T>&, const ChapterInfo&, const std::vector<TensorId>&, \
                           const std::optional<ChapterRun<double>>&);                              \
    template void dump_expected(const ChapterRun<T>&, const std::optional<ChapterRun<double>>&,    \
                                const ChapterInfo&, const std::string&);
NINJA_GRADE(float)
NINJA_GRADE(double)
#undef NINJA_GRADE

}  // namespace ninja
