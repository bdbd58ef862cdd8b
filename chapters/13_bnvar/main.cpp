/// @file
/// @brief The program of chapter 13: prints the cmp lines of its gradients.
#include "13_bnvar/exercise.hpp"  // the solution (bnvar.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<13>(argc, argv); }
