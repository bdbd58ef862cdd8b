/// @file
/// @brief The program of chapter 14: prints the cmp lines of dbndiff2.
#include "14_bndiff2/exercise.hpp"  // the solution (bndiff2.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::Bndiff2Chapter>(argc, argv); }
