/// @file
/// @brief The program of chapter 10: prints the cmp lines of its gradients.
#include "10_hpreact/exercise.hpp"  // the solution (hpreact.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<10>(argc, argv); }
