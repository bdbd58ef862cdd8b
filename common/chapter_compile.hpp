/// @file
/// @brief The definitions of step<N, T>, backward<N, T> and chapter_info<N>() (common/chapter.hpp)
/// for the files that compile them, one per chapter, written by chapters/CMakeLists.txt. Nothing
/// else includes this header: every other file calls the compiled steps.
#pragma once

#include <type_traits>
#include <vector>

#include "common/chapter.hpp"

namespace ninja {

/// Which parameters of a function it writes: those it takes by non-const reference.
template <class R, class... P>
std::vector<bool> written_parameters(R (*)(P...)) {
    return {(std::is_lvalue_reference_v<P> && !std::is_const_v<std::remove_reference_t<P>>)...};
}

template <int N, class T>
void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    if constexpr (!chapter<N>.step.empty()) call_wired<N>(Solution<N>{}, g, f, p, b);
}

template <int N, class T>
void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    backward_before<N, T>(g, f, p, b);
    step<N, T>(g, f, p, b);
}

/// What the steps before chapter N's own fill: the whole backward pass of its chain table row's
/// `after`, and the own gradients of its `then`.
template <int N>
std::vector<TensorId> chain_grads() {
    constexpr ChainLink link = chain_link(N);
    std::vector<TensorId> ids;
    const auto add = [&](const std::vector<TensorId>& more) {
        ids.insert(ids.end(), more.begin(), more.end());
    };
    if constexpr (link.after > 0) add(chapter_info<link.after>().all_grads);
    if constexpr (link.then[0] > 0) add(chapter_info<link.then[0]>().grads);
    if constexpr (link.then[1] > 0) add(chapter_info<link.then[1]>().grads);
    if constexpr (link.then[2] > 0) add(chapter_info<link.then[2]>().grads);
    return ids;
}

template <int N>
const ChapterInfo& chapter_info() {
    if constexpr (!chapter<N>.sums_to_zero.empty()) {
        [[maybe_unused]] constexpr VanishingSums read = vanishing_sums(chapter<N>.sums_to_zero);
    }
    static const ChapterInfo info = [] {
        std::vector<bool> writes;
        if constexpr (!chapter<N>.step.empty())
            writes = written_parameters(typename Solution<N>::Function{});
        return make_chapter_info(N, Solution<N>::folder, chapter<N>, writes, chain_grads<N>());
    }();
    return info;
}

}  // namespace ninja

/// `extern` (compiled elsewhere) or nothing (compiled here): chapter N's `function`, backward or
/// step, in precision T.
#define NINJA_INSTANCE(how, function, N, T)                                             \
    how template void ninja::function<N, T>(ninja::Grads<T>&, const ninja::Forward<T>&, \
                                            const ninja::Params<T>&, const ninja::Batch&);

/// Chapter N's step, backward pass and info, compiled in `how` (extern: another file).
#define NINJA_CHAPTER_COMPILED(how, N)       \
    NINJA_INSTANCE(how, backward, N, float)  \
    NINJA_INSTANCE(how, backward, N, double) \
    NINJA_INSTANCE(how, step, N, float)      \
    NINJA_INSTANCE(how, step, N, double)     \
    how template const ninja::ChapterInfo& ninja::chapter_info<N>();

/// Chapter N is compiled in another file.
#define NINJA_COMPILED_ELSEWHERE(N) NINJA_CHAPTER_COMPILED(extern, N)

/// Chapter N is compiled here.
#define NINJA_COMPILED_HERE(N) NINJA_CHAPTER_COMPILED(, N)
