/// @file
/// @brief The program of chapter 20: prints the cmp lines of its gradients.
#include "20_embedding_table/exercise.hpp"  // the solution (embedding_table.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<20>(argc, argv); }
