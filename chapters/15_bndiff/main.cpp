/// @file
/// @brief The program of chapter 15: prints the cmp lines of its gradients.
#include "15_bndiff/exercise.hpp"  // the solution (bndiff.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<15>(argc, argv); }
