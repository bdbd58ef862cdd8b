/// @file
/// @brief The program of chapter 15: prints the cmp lines of dbndiff.
#include "15_bndiff/exercise.hpp"  // the solution (bndiff.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BndiffChapter>(argc, argv); }
