/// @file
/// @brief What a chapter is: `Chapter<N>`, its facts and its backward step, and `backward<N>`,
/// every step from the loss down to chapter N's, compiled once.
///
/// Chapter N's folder `chapters/NN_name/` specialises `Chapter<N>` in its header `name.hpp`:
/// - `static ChapterInfo info()`: the facts the program prints and the website is made from;
/// - `template <class T> static void backward(Grads<T>&, const Forward<T>&, const Params<T>&,
///   const Batch&)`: `backward<N - 1>(...)`, then chapter N's own step. So the include chain of
///   the headers, and the call chain of the steps, is the chain rule;
/// - `template <class T> static void step(...)` (the same parameters): that own step alone.
///
/// Its `exercise.hpp` specialises `exercise::Chapter<N>` the same way, with the learner's step.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "common/model.hpp"

namespace ninja {

/// The facts a chapter states about its step. Its program prints them (`--info` lists them all),
/// and the website's chapter list, page titles and links are made from them.
struct ChapterInfo {
    std::string title;                ///< one line: what the chapter derives
    std::string goal;                 ///< what there is to find, e.g. "dlogits: ..."
    std::string forward_line;         ///< the line(s) of the forward pass it differentiates
    std::string shapes;               ///< e.g. "probs (n, V) -> logprobs (n, V)"
    std::vector<std::string> grads;   ///< the tensors whose gradients the step writes
    std::vector<std::string> inputs;  ///< what the step reads, e.g. {"dlogprobs", "probs"}
    /// What `--all` prints, when it is not the notebook's table down to the step (a fused step
    /// skips the intermediates in between).
    std::vector<std::string> all_grads = {};
};

/// Chapter N, specialised in chapters/NN_name/name.hpp (see the file comment).
template <int N>
struct Chapter;

/// Chapter N's backward pass, `Chapter<N>::backward`, compiled once for float and for double
/// (chapters/CMakeLists.txt writes the file that does it). A later chapter calls it for the steps
/// before its own, so each step is compiled once, not once per chapter that follows it.
template <int N, class T>
void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b);

/// Chapter N's own step alone, `Chapter<N>::step`, on the gradients already in `g`, compiled
/// once like backward<N>: the exercises call the steps they do not ask for through it, and the
/// grading compares the learner's step with it, so that neither compiles a solution again.
template <int N, class T>
void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b);

/// The learners' versions of the chapters, one `exercise.hpp` per chapter folder.
namespace exercise {
/// Chapter N with the learner's step, specialised in chapters/NN_name/exercise.hpp.
template <int N>
struct Chapter;
}  // namespace exercise

/// True in a build configured with `NINJA_EXERCISES=ON`: programs and tests grade the learner's
/// step (exercise::Chapter<N>) instead of running the solution (Chapter<N>).
#ifdef NINJA_EXERCISES
inline constexpr bool exercise_mode = true;
#else
inline constexpr bool exercise_mode = false;
#endif

/// Thrown by an exercise's step until the learner writes the answer. The program that catches it
/// says which chapter and which file.
class NotImplemented : public std::logic_error {
public:
    NotImplemented() : std::logic_error("not implemented yet") {}
};

}  // namespace ninja
