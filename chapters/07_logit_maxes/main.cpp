/// @file
/// @brief The program of chapter 07: prints the cmp lines of its gradients.
#include "07_logit_maxes/exercise.hpp"  // the solution (logit_maxes.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<7>(argc, argv); }
