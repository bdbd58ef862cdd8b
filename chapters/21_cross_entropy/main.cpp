/// @file
/// @brief The program of chapter 21: the fused cross-entropy step against PyTorch and against
/// chapters 01-08 composed, the row sums of dlogits, and its picture.
#include <cmath>
#include <iostream>

#include "21_cross_entropy/exercise.hpp"  // the solution (cross_entropy.hpp) and the exercise
#include "common/program/run_chapter.hpp"

namespace {

using namespace ninja;

/// What chapter 21's program adds: the comparison with chapters 01-08, and the row sums.
struct CrossEntropyProgram {
    static constexpr int composed = 8;
    static constexpr const char* composed_label = "chapters 01-08";

    template <class T>
    static bool extra_report(const ChapterRun<T>& r, const ChapterOptions&) {
        T worst = 0;  // the largest |sum of a row|: zero but for rounding
        for (std::size_t i = 0; i < r.g.dlogits.shape(0); ++i) {
            T sum = 0;
            for (std::size_t j = 0; j < r.g.dlogits.shape(1); ++j) sum += r.g.dlogits(i, j);
            worst = nan_max(worst, std::abs(sum));
        }
        std::cout << "\nevery row of dlogits sums to zero: the largest |row sum| is "
                  << python_float(double(worst)) << '\n';
        return true;
    }
};

}  // namespace

int main(int argc, char** argv) { return ninja::run_chapter<21, CrossEntropyProgram>(argc, argv); }
