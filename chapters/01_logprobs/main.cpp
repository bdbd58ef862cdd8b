/// @file
/// @brief The program of chapter 01: prints the cmp lines of its gradients.
#include "01_logprobs/exercise.hpp"  // the solution (logprobs.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<1>(argc, argv); }
