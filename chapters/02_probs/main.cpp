/// @file
/// @brief The program of chapter 02: prints the cmp lines of its gradients.
#include "02_probs/exercise.hpp"  // the solution (probs.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<2>(argc, argv); }
