/// @file
/// @brief The definition of backward<N, T> (common/chapter.hpp), for the files that compile it:
/// one per chapter, written by chapters/CMakeLists.txt. Nothing else includes this header, so
/// that every other file calls the compiled chain instead of compiling it again.
#pragma once

#include "common/chapter.hpp"

template <int N, class T>
void ninja::backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    Chapter<N>::backward(g, f, p, b);
}

/// Chapter N's backward is compiled in another file: not here.
#define NINJA_BACKWARD_ELSEWHERE(N)                                                         \
    extern template void ninja::backward<N, float>(                                         \
        ninja::Grads<float>&, const ninja::Forward<float>&, const ninja::Params<float>&,    \
        const ninja::Batch&);                                                               \
    extern template void ninja::backward<N, double>(                                        \
        ninja::Grads<double>&, const ninja::Forward<double>&, const ninja::Params<double>&, \
        const ninja::Batch&);

/// Compiles chapter N's backward here, for float and for double.
#define NINJA_BACKWARD_HERE(N)                                                                     \
    template void ninja::backward<N, float>(ninja::Grads<float>&, const ninja::Forward<float>&,    \
                                            const ninja::Params<float>&, const ninja::Batch&);     \
    template void ninja::backward<N, double>(ninja::Grads<double>&, const ninja::Forward<double>&, \
                                             const ninja::Params<double>&, const ninja::Batch&);
