/// @file
/// @brief The program of chapter 16: prints the cmp lines of its gradients.
#include "16_bnmeani/exercise.hpp"  // the solution (bnmeani.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<16>(argc, argv); }
