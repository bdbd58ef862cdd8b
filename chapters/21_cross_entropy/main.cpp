/// @file
/// @brief The program of chapter 21: the fused cross-entropy step against PyTorch and against
/// chapters 01-08 composed, and the picture of dlogits.
#include <cmath>
#include <filesystem>
#include <iostream>

#include "08_logits/logits.hpp"
#include "21_cross_entropy/exercise.hpp"  // the solution (cross_entropy.hpp) and the exercise
#include "common/plot.hpp"
#include "common/program/run_chapter.hpp"

namespace {

using namespace ninja;

/// What chapter 21's program adds: the loss the step returns, the comparison with chapter 08,
/// the row sums, dlogits.png.
struct CrossEntropyProgram {
    static constexpr bool draws_pictures = true;

    template <class T>
    static bool extra_report(const ChapterRun<T>& r, const ChapterOptions& o) {
        // The step returns the loss too (exercise mode: yours), against the forward pass's.
        xt::xtensor<T, 2> d;
        const T loss = exercise_mode ? exercise::cross_entropy_backward(d, r.f.logits, r.batch.Yb)
                                     : cross_entropy_backward(d, r.f.logits, r.batch.Yb);
        std::cout << "\nthe loss the step returns, compared with the forward pass's:\n";
        const Comparison l =
            cmp("loss", xt::xtensor<T, 1>{loss}, xt::xtensor<T, 1>{r.f.loss}, std::cout);

        // Chapters 01-08, one step at a time, on the same forward pass.
        Grads<T> composed;
        backward<8>(composed, r.f, r.params, r.batch);
        std::cout << "\ncompared with chapters 01-08 composed (chapter 08's backward, same forward "
                     "pass):\n";
        const Comparison c = cmp("logits", r.g.dlogits, composed.dlogits, std::cout);

        T worst = 0;  // the largest |sum of a row|: zero but for rounding
        for (std::size_t i = 0; i < r.g.dlogits.shape(0); ++i) {
            T sum = 0;
            for (std::size_t j = 0; j < r.g.dlogits.shape(1); ++j) sum += r.g.dlogits(i, j);
            worst = std::max(worst, std::abs(sum));
        }
        std::cout << "\nevery row of dlogits sums to zero: the largest |row sum| is "
                  << python_float(double(worst)) << '\n';

        std::error_code error;
        std::filesystem::create_directories(o.out, error);
        if (error)
            throw InputError("--out " + o.out + ": cannot create the folder (" + error.message() +
                             ")");
        const std::string path = o.out + "/dlogits.png";
        const png::Image image = plot::gradient_image(xt::cast<double>(r.g.dlogits));
        png::write(path, image);
        std::cout << "wrote " << path << " (" << image.width << " x " << image.height
                  << " pixels: one 12-pixel square per entry, rows = examples, columns = "
                     "characters; mid gray = 0, darker = negative)\n";
        return c.approximate && l.approximate;
    }
};

}  // namespace

int main(int argc, char** argv) { return ninja::run_chapter<21, CrossEntropyProgram>(argc, argv); }
