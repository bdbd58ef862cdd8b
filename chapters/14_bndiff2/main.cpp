/// @file
/// @brief The program of chapter 14: prints the cmp lines of its gradients.
#include "14_bndiff2/exercise.hpp"  // the solution (bndiff2.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<14>(argc, argv); }
