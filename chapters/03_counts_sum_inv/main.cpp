/// @file
/// @brief The program of chapter 03: prints the cmp lines of dcounts_sum_inv.
#include "03_counts_sum_inv/exercise.hpp"  // the solution (counts_sum_inv.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::CountsSumInvChapter>(argc, argv); }
