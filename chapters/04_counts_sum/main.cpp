/// @file
/// @brief The program of chapter 04: prints the cmp lines of its gradients.
#include "04_counts_sum/exercise.hpp"  // the solution (counts_sum.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<4>(argc, argv); }
