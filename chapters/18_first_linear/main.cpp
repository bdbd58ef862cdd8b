/// @file
/// @brief The program of chapter 18: prints the cmp lines of its gradients.
#include "18_first_linear/exercise.hpp"  // the solution (first_linear.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<18>(argc, argv); }
