/// @file
/// @brief The program of chapter 10: prints the cmp lines of dhpreact.
#include "10_hpreact/exercise.hpp"  // the solution (hpreact.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::HpreactChapter>(argc, argv); }
