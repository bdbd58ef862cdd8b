/// @file
/// @brief The program of chapter 08: prints the cmp lines of its gradients.
#include "08_logits/exercise.hpp"  // the solution (logits.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<8>(argc, argv); }
