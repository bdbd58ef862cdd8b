/// @file
/// @brief The program of chapter 09: prints the cmp lines of dh, dW2, db2.
#include "09_second_linear/exercise.hpp"  // the solution (second_linear.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::SecondLinearChapter>(argc, argv); }
