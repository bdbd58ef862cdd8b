/// @file
/// @brief The program of chapter 03: prints the cmp lines of its gradients.
#include "03_counts_sum_inv/exercise.hpp"  // the solution (counts_sum_inv.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<3>(argc, argv); }
