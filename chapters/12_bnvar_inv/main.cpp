/// @file
/// @brief The program of chapter 12: prints the cmp lines of its gradients.
#include "12_bnvar_inv/exercise.hpp"  // the solution (bnvar_inv.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<12>(argc, argv); }
