/// @file
/// @brief The program of chapter 16: prints the cmp lines of dbnmeani.
#include "16_bnmeani/exercise.hpp"  // the solution (bnmeani.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BnmeaniChapter>(argc, argv); }
