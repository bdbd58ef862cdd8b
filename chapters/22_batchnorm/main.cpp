/// @file
/// @brief The program of chapter 22: the fused batchnorm step against PyTorch and against
/// chapters 11-17 composed, the column sums of dhprebn, and its picture.
#include <cmath>
#include <iostream>

#include "22_batchnorm/exercise.hpp"  // the solution (batchnorm.hpp) and the exercise
#include "common/program/run_chapter.hpp"

namespace {

using namespace ninja;

/// What chapter 22's program adds: the comparison with chapters 11-17 composed, and the column
/// sums of dhprebn.
struct BatchnormProgram {
    static constexpr int composed = 17;
    static constexpr const char* composed_label = "chapters 11-17";

    template <class T>
    static bool extra_report(const ChapterRun<T>& r, const ChapterOptions&) {
        T worst = 0, largest = 0;  // the largest |sum of a column|, and the largest entry
        for (std::size_t j = 0; j < r.g.dhprebn.shape(1); ++j) {
            T sum = 0;
            for (std::size_t i = 0; i < r.g.dhprebn.shape(0); ++i) {
                sum += r.g.dhprebn(i, j);
                largest = nan_max(largest, std::abs(r.g.dhprebn(i, j)));
            }
            worst = nan_max(worst, std::abs(sum));
        }
        std::cout << "\nevery column of dhprebn sums to zero: the largest |column sum| is "
                  << python_float(double(worst))
                  << " (the largest |entry|: " << python_float(double(largest)) << ")\n";
        return true;
    }
};

}  // namespace

int main(int argc, char** argv) { return ninja::run_chapter<22, BatchnormProgram>(argc, argv); }
