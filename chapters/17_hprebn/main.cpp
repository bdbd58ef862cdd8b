/// @file
/// @brief The program of chapter 17: prints the cmp lines of its gradients.
#include "17_hprebn/exercise.hpp"  // the solution (hprebn.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<17>(argc, argv); }
