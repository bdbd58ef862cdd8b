/// @file
/// @brief The program of chapter 18: prints the cmp lines of dembcat, dW1, db1.
#include "18_first_linear/exercise.hpp"  // the solution (first_linear.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::FirstLinearChapter>(argc, argv); }
