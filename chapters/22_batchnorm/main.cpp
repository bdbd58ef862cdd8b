/// @file
/// @brief The program of chapter 22: the fused batchnorm step against PyTorch and against
/// chapters 11-17 composed.
#include <cmath>
#include <iostream>

#include "17_hprebn/hprebn.hpp"
#include "22_batchnorm/exercise.hpp"  // the solution (batchnorm.hpp) and the exercise
#include "common/program/run_chapter.hpp"

namespace {

using namespace ninja;

/// What chapter 22's program adds: the comparison with chapter 17's composed steps and the
/// column sums of dhprebn.
struct BatchnormProgram {
    static constexpr bool draws_pictures = false;

    template <class T>
    static bool extra_report(const ChapterRun<T>& r, const ChapterOptions&) {
        // Chapters 01-17, one step at a time, on the same forward pass.
        Grads<T> composed;
        backward<17>(composed, r.f, r.params, r.batch);
        std::cout << "\ncompared with chapters 11-17 composed (chapter 17's backward, same forward "
                     "pass):\n";
        const Comparison c = cmp("hprebn", r.g.dhprebn, composed.dhprebn, std::cout);

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
        return c.approximate;
    }
};

}  // namespace

int main(int argc, char** argv) { return ninja::run_chapter<22, BatchnormProgram>(argc, argv); }
