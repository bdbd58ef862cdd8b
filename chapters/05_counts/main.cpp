/// @file
/// @brief The program of chapter 05: prints the cmp lines of dcounts.
#include "05_counts/exercise.hpp"  // the solution (counts.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::CountsChapter>(argc, argv); }
