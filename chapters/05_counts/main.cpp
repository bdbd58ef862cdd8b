/// @file
/// @brief The program of chapter 05: prints the cmp lines of its gradients.
#include "05_counts/exercise.hpp"  // the solution (counts.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<5>(argc, argv); }
