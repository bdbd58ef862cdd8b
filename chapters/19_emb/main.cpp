/// @file
/// @brief The program of chapter 19: prints the cmp lines of its gradients.
#include "19_emb/exercise.hpp"  // the solution (emb.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<19>(argc, argv); }
