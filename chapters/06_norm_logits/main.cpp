/// @file
/// @brief The program of chapter 06: prints the cmp lines of its gradients.
#include "06_norm_logits/exercise.hpp"  // the solution (norm_logits.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<6>(argc, argv); }
