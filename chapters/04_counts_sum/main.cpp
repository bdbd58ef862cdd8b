/// @file
/// @brief The program of chapter 04: prints the cmp lines of dcounts_sum.
#include "04_counts_sum/exercise.hpp"  // the solution (counts_sum.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::CountsSumChapter>(argc, argv); }
