/// @file
/// @brief What a chapter is: its facts, written once in its header (`chapter<N>`), among them
/// how its step is called on the model's tensors; and `step<N>` and `backward<N>`, its step and
/// its whole backward pass (common/chain.hpp), compiled once in the chapters' library.
///
/// Chapter N's folder `chapters/NN_name/` holds, in `name.hpp`, the derivation, the step
/// `name_backward` (outputs first, then what it reads) and
/// @code
/// template <>
/// inline constexpr ChapterFacts chapter<5> = {
///     "counts is used twice: both gradients add up",                 // title
///     "dcounts: counts reaches the loss along two paths, ...",       // goal
///     "counts_sum = counts.sum(1, keepdims=True); probs = ...",      // forward
///     "counts (n, V) -> counts_sum (n, 1) and probs (n, V)",         // shapes
///     "counts_backward(dcounts, dprobs, counts_sum_inv, dcounts_sum)"};  // the step's call
/// @endcode
/// The call is the step's wiring to the tensors, written once: `dX` is the gradient of tensor X,
/// `X` the tensor itself, `Xb` and `Yb` the minibatch's. The solution (`ninja::name_backward`),
/// the learner's step (`ninja::exercise::name_backward`), the GPU kernel
/// (`ninja::gpu::name_backward`) and the tests are all called through it (call_wired), and the
/// gradients a step writes are the arguments its function takes by non-const reference.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/chain.hpp"
#include "common/model.hpp"

namespace ninja {

/// The facts a chapter states about its step, in its header (see the file comment). Its program
/// prints them, and the website's chapter list, titles and exercises are made from them.
struct ChapterFacts {
    std::string_view title;    ///< one line: what the chapter derives
    std::string_view goal;     ///< what there is to find
    std::string_view forward;  ///< the line(s) of the forward pass it differentiates
    std::string_view shapes;   ///< e.g. "probs (n, V) -> logprobs (n, V)"
    std::string_view step;     ///< the step's call on the model's tensors ("" for 00 and 23)
    /// A gradient whose rows or columns all sum to zero, which the program shows: "dlogits rows".
    std::string_view sums_to_zero = {};
};

/// A chapter's fact `sums_to_zero` read: the tensor whose gradient has the vanishing sums, and
/// whether they are its rows' (else its columns').
struct VanishingSums {
    TensorId id{};
    bool rows = false;
};

/// Reads `sums_to_zero` ("dhprebn rows"); a fact that names no tensor's gradient, or lines other
/// than rows or columns, throws (and stops the compilation: chapter_info<N> reads every chapter's
/// in a constant expression).
constexpr VanishingSums vanishing_sums(std::string_view fact) {
    const std::size_t space = fact.find(' ');
    const std::string_view lines = fact.substr(space == std::string_view::npos ? 0 : space + 1);
    TensorId id{};
    if (space == std::string_view::npos || fact.front() != 'd' ||
        !find_tensor(fact.substr(1, space - 1), id) || (lines != "rows" && lines != "columns"))
        throw std::invalid_argument(
            "sums_to_zero must read \"d<tensor> rows\" or \"d<tensor> columns\"");
    return {id, lines == "rows"};
}

/// Chapter N's facts, specialised in chapters/NN_name/name.hpp.
template <int N>
inline constexpr ChapterFacts chapter{};

// ---- the wiring of a step: its call, parsed at compile time ------------------------------------

/// Where one argument of a step comes from.
enum class Source { grad, value, Xb, Yb };

/// One argument of a step: the gradient of a tensor, the tensor itself, or the batch's Xb or Yb.
struct Arg {
    Source source = Source::value;
    TensorId id{};
};

/// The text between the parentheses of a call "name(a, b)".
constexpr std::string_view call_arguments(std::string_view call) {
    const std::size_t open = call.find('('), close = call.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        throw std::invalid_argument("a step's call must read name(arguments)");
    return call.substr(open + 1, close - open - 1);
}

/// The function's name of a call: "counts_backward".
constexpr std::string_view call_function(std::string_view call) {
    return call.substr(0, call.find('('));
}

/// The number of arguments of a call.
constexpr std::size_t call_arity(std::string_view call) {
    std::size_t commas = 0;
    for (char c : call_arguments(call)) commas += c == ',';
    return commas + 1;
}

/// Argument k of a call, without the spaces around it.
constexpr std::string_view call_argument(std::string_view call, std::size_t k) {
    std::string_view rest = call_arguments(call);
    for (; k > 0; --k) rest = rest.substr(rest.find(',') + 1);
    rest = rest.substr(0, rest.find(','));
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    return rest;
}

/// What an argument's name stands for; a name that is neither a tensor, nor `d` and a tensor,
/// nor Xb or Yb stops the compilation (a throw in a constant expression).
constexpr Arg parse_argument(std::string_view name) {
    TensorId id{};
    if (name == "Xb") return {Source::Xb, id};
    if (name == "Yb") return {Source::Yb, id};
    if (find_tensor(name, id)) return {Source::value, id};
    if (name.size() > 1 && name[0] == 'd' && find_tensor(name.substr(1), id))
        return {Source::grad, id};
    throw std::invalid_argument("a step's argument must be a tensor, its gradient, Xb or Yb");
}

/// Chapter N's step as data: its arguments, in order.
template <int N>
struct Wiring {
    static constexpr std::string_view call = chapter<N>.step;
    static constexpr std::size_t size = call_arity(call);
    static constexpr std::array<Arg, size> args = [] {
        std::array<Arg, size> out{};
        for (std::size_t k = 0; k < size; ++k) out[k] = parse_argument(call_argument(call, k));
        return out;
    }();
};

/// The tensor (or gradient, or part of the batch) an argument stands for.
template <Source source, TensorId id, class T>
decltype(auto) argument(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    if constexpr (source == Source::grad)
        return member<id>(g);
    else if constexpr (source == Source::Xb)
        return (b.Xb);
    else if constexpr (source == Source::Yb)
        return (b.Yb);
    else if constexpr (info(id).kind == Kind::parameter)
        return member<id>(p);
    else
        return member<id>(f);
}

/// call_wired, for the arguments K of chapter N.
template <int N, class Fn, class T, std::size_t... K>
void call_with_arguments(Fn&& fn, Grads<T>& g, const Forward<T>& f, const Params<T>& p,
                         const Batch& b, std::index_sequence<K...>) {
    fn(argument<Wiring<N>::args[K].source, Wiring<N>::args[K].id>(g, f, p, b)...);
}

/// Calls `fn` with chapter N's arguments, as its wiring says (e.g. fn(g.dcounts, g.dprobs,
/// f.counts_sum_inv, g.dcounts_sum)): the solution's step, the learner's, or a test's.
template <int N, class Fn, class T>
void call_wired(Fn&& fn, Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    call_with_arguments<N>(fn, g, f, p, b, std::make_index_sequence<Wiring<N>::size>{});
}

/// Chapter N's step function, the solution's `ninja::name_backward`, as a callable; with
/// `folder`, "NN_name", and `Function`, the type of its float version. Specialised in a header
/// that CMake writes for each chapter (the step of chapters/NN_name is name_backward), included
/// by the file that compiles the chapter (common/chapter_compile.hpp).
template <int N>
struct Solution;

/// The learners' steps: chapters/NN_name/exercise.hpp defines `name_backward` here.
namespace exercise {}

/// Chapter N's step function, the learner's `ninja::exercise::name_backward`, as a callable.
/// Specialised in a header that CMake writes for each chapter with an exercise, included by the
/// chapter's program and test.
template <int N>
struct Yours;

// ---- what the chapters' library compiles, once per chapter --------------------------------------

/// What a program and a test know of chapter N: its facts, and what the wiring and the chain
/// table tell about them (its gradients, what it reads, what `--all` prints).
struct ChapterInfo {
    int number = 0;                   ///< N
    std::string folder;               ///< "08_logits"
    ChapterFacts facts;               ///< title, goal, forward line, shapes, the step's call
    std::vector<TensorId> grads;      ///< the gradients the step writes, in its call's order
    std::vector<std::string> inputs;  ///< what the step reads: "dnorm_logits", "logits", ...
    /// What the whole backward pass fills: the gradients of every step of the chain, in the
    /// table's order (`--all` prints them).
    std::vector<TensorId> all_grads;
    /// The model it works on: LayerNorm's when its step reads or writes one of that model's
    /// tensors, else the lecture's.
    Model model = Model::batchnorm;

    /// The folder without its number: "logits".
    std::string name() const;
    /// The program's name: "chapter_08_logits".
    std::string program() const;
    /// How a message names it: "chapter 08 (logits)".
    std::string label() const;
    /// "08".
    std::string number_text() const;
};

/// A chapter's number as the workbook writes it: "08".
std::string chapter_number(int number);

/// Chapter N's info (compiled once, in the chapters' library, for the chapters in the chain).
template <int N>
const ChapterInfo& chapter_info();

/// The info of chapter `number`, in folder `folder`, from its facts: what its step writes
/// (`writes[k]`: argument k of its call is written) and reads, and, from the chain table, what
/// its whole backward pass fills (`chain_grads`: the all_grads of the chapters whose steps come
/// first). A chapter without a step (00) has only its facts.
ChapterInfo make_chapter_info(int number, std::string folder, const ChapterFacts& facts,
                              const std::vector<bool>& writes = {},
                              const std::vector<TensorId>& chain_grads = {});

/// Chapter N's own step, the solution's: reads the gradients in `g` (the steps before, or
/// made-up ones) and writes its own.
template <int N, class T>
void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b);

/// Chapter N's whole backward pass, the solution's: the chain table's steps, then its own.
template <int N, class T>
void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b);

/// The own steps of the chapters in the `then` of chapter N's row of the chain table (the
/// solutions'), in order.
template <int N, class T>
void then_steps(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    constexpr ChainLink link = chain_link(N);
    static_assert(link.chapter == N, "chapter N has no row in the chain table");
    if constexpr (link.then[0] > 0) step<link.then[0], T>(g, f, p, b);
    if constexpr (link.then[1] > 0) step<link.then[1], T>(g, f, p, b);
    if constexpr (link.then[2] > 0) step<link.then[2], T>(g, f, p, b);
}

/// The steps of chapter N's chain that come before its own step: backward<after>, then the own
/// steps of `then`. Called with the learner's step after it in exercise mode.
template <int N, class T>
void backward_before(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    if constexpr (chain_link(N).after > 0) backward<chain_link(N).after, T>(g, f, p, b);
    then_steps<N, T>(g, f, p, b);
}

// ---- exercise mode ------------------------------------------------------------------------------

/// True in a build configured with `NINJA_EXERCISES=ON`: programs and tests grade the learner's
/// step (ninja::exercise::name_backward) instead of running the solution.
#ifdef NINJA_EXERCISES
inline constexpr bool exercise_mode = true;
#else
inline constexpr bool exercise_mode = false;
#endif

/// Thrown by an exercise's step until the learner writes the answer. The program that catches it
/// says which chapter and which file: `file()` is where it was thrown, the exercise.hpp of the
/// step that is not written yet.
class NotImplemented : public std::logic_error {
public:
    /// @param file where the throw stands (by default: the file of the throw expression)
    explicit NotImplemented(const char* file = __builtin_FILE())
        : std::logic_error("not implemented yet"), file_(file) {}
    /// The file of the throw, e.g. ".../chapters/21_cross_entropy/exercise.hpp".
    const char* file() const { return file_; }

private:
    const char* file_;
};

}  // namespace ninja
