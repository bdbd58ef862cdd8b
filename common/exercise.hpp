/// @file
/// @brief Exercise mode: each chapter's step as an exercise for the learner, and the pieces the
/// chapter programs and tests use to grade it.
///
/// Every chapter folder `NN_name` holds, beside the solution `name.hpp`, an `exercise.hpp`: the
/// same step function in namespace `ninja::exercise`, whose body is a marked place for the
/// learner's answer, and a chapter struct `ninja::exercise::XxxChapter` that runs the previous
/// chapters' *solutions* followed by the learner's step. Built with `-DNINJA_EXERCISES=ON` (the
/// `exercises` preset), the chapter programs and the chapter tests grade the learner's step;
/// otherwise they run the solutions, as before.
///
/// Exit codes of a chapter program in exercise mode: 0 correct (exactly or up to rounding),
/// 1 wrong (a value, a shape, or the step stopped with an error), 2 bad input (nothing was
/// graded), 3 not started (the step still throws NotImplemented).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ninja {

/// True in a build configured with `NINJA_EXERCISES=ON`: chapters grade the learner's steps.
#ifdef NINJA_EXERCISES
inline constexpr bool exercise_mode = true;
#else
inline constexpr bool exercise_mode = false;
#endif

/// The exit code of a chapter program whose exercise has not been started.
inline constexpr int exit_not_started = 3;

/// Thrown by an exercise's step until the learner writes the answer.
class NotImplemented : public std::logic_error {
public:
    /// @param number the chapter's number, 1..22
    /// @param folder the chapter's folder, e.g. "05_counts"
    NotImplemented(int number, const std::string& folder)
        : std::logic_error(message(number, folder)) {}

private:
    static std::string message(int number, const std::string& folder) {
        char text[8];
        std::snprintf(text, sizeof text, "%02d", number);
        const std::string name = folder.substr(folder.find('_') + 1);
        return "chapter " + std::string(text) + " (" + name +
               "): not implemented yet \u2014 write your answer in chapters/" + folder +
               "/exercise.hpp";
    }
};

/// The exercise version of the solution chapter `Solution`. Each chapter's `exercise.hpp`
/// declares, in namespace ninja, `exercise::XxxChapter exercise_of(const XxxChapter&);` (a
/// declaration only). Argument-dependent lookup finds it for XxxChapter and for any struct
/// derived from it, such as a chapter program's own (chapters 21 and 22). Without an exercise,
/// the solution itself.
template <class Solution, class = void>
struct ExerciseFor {
    using type = Solution;  ///< the exercise's chapter struct
};
/// See ExerciseFor.
template <class Solution>
struct ExerciseFor<Solution, std::void_t<decltype(exercise_of(std::declval<const Solution&>()))>> {
    /// the exercise's chapter struct
    using type = decltype(exercise_of(std::declval<const Solution&>()));
};

/// The chapter that programs and tests run for the solution chapter `Solution`: its exercise
/// in exercise mode, else the solution itself.
template <class Solution>
using ChapterFor =
    std::conditional_t<exercise_mode, typename ExerciseFor<Solution>::type, Solution>;

/// Whether chapter struct `C` has hints (`static constexpr const char* hints[]`).
template <class C, class = void>
struct has_hints : std::false_type {};
/// See has_hints.
template <class C>
struct has_hints<C, std::void_t<decltype(C::hints)>> : std::true_type {};

/// The hints of the exercise of chapter `Solution` (empty when it has none).
template <class Solution>
std::vector<std::string> hints_for() {
    using Exercise = typename ExerciseFor<Solution>::type;
    if constexpr (has_hints<Exercise>::value)
        return std::vector<std::string>(std::begin(Exercise::hints), std::end(Exercise::hints));
    else
        return {};
}

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

/// Where `yours` differs most from `expected` (same shape): a NaN counts as the largest.
struct LargestDifference {
    std::string index;     ///< e.g. "[3, 17]"
    std::string yours;     ///< the learner's value there
    std::string expected;  ///< the reference's value there
};

/// Finds the element of largest |yours - expected|; tensors of the same shape.
template <class A, class B>
LargestDifference largest_difference(const A& yours, const B& expected) {
    using T = typename A::value_type;
    std::size_t worst = 0, flat = 0;
    double worst_diff = -1;
    auto b = expected.begin();
    for (auto a = yours.begin(); a != yours.end(); ++a, ++b, ++flat) {
        const double diff = std::abs(double(*a) - double(static_cast<T>(*b)));
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
    out.expected = shortest_decimal(static_cast<T>(expected.data()[worst]));
    return out;
}

}  // namespace ninja

/// The learners' versions of the chapters' steps, one `exercise.hpp` per chapter folder.
namespace ninja::exercise {}
