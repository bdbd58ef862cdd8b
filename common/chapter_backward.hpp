/// @file
/// @brief The definitions of backward<N, T> and step<N, T> (common/chapter.hpp), for the files
/// that compile them: one per chapter, written by chapters/CMakeLists.txt. Nothing else includes
/// this header, so that every other file calls the compiled steps instead of compiling them again.
#pragma once

#include "common/chapter.hpp"

template <int N, class T>
void ninja::backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    Chapter<N>::backward(g, f, p, b);
}

template <int N, class T>
void ninja::step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    Chapter<N>::step(g, f, p, b);
}

/// `extern` (compiled elsewhere) or nothing (compiled here): chapter N's `function`, backward or
/// step, in precision T.
#define NINJA_INSTANCE(how, function, N, T)                                             \
    how template void ninja::function<N, T>(ninja::Grads<T>&, const ninja::Forward<T>&, \
                                            const ninja::Params<T>&, const ninja::Batch&);

/// Chapter N's backward and step are compiled in another file: not here.
#define NINJA_BACKWARD_ELSEWHERE(N)             \
    NINJA_INSTANCE(extern, backward, N, float)  \
    NINJA_INSTANCE(extern, backward, N, double) \
    NINJA_INSTANCE(extern, step, N, float) NINJA_INSTANCE(extern, step, N, double)

/// Compiles chapter N's backward and step here, for float and for double.
#define NINJA_BACKWARD_HERE(N)            \
    NINJA_INSTANCE(, backward, N, float)  \
    NINJA_INSTANCE(, backward, N, double) \
    NINJA_INSTANCE(, step, N, float) NINJA_INSTANCE(, step, N, double)
