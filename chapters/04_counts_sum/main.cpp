/// @file
/// @brief The program of chapter 04: prints the cmp lines of dcounts_sum.
#include "04_counts_sum/counts_sum.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<ninja::CountsSumChapter>(argc, argv); }
