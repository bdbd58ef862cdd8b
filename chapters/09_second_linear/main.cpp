/// @file
/// @brief The program of chapter 09: prints the cmp lines of its gradients.
#include "09_second_linear/exercise.hpp"  // the solution (second_linear.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<9>(argc, argv); }
