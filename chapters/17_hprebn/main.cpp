/// @file
/// @brief The program of chapter 17: prints the cmp lines of dhprebn.
#include "17_hprebn/exercise.hpp"  // the solution (hprebn.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::HprebnChapter>(argc, argv); }
