/// @file
/// @brief The program of chapter 07: prints the cmp lines of dlogit_maxes.
#include "07_logit_maxes/exercise.hpp"  // the solution (logit_maxes.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::LogitMaxesChapter>(argc, argv); }
