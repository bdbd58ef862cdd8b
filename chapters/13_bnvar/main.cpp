/// @file
/// @brief The program of chapter 13: prints the cmp lines of dbnvar.
#include "13_bnvar/exercise.hpp"  // the solution (bnvar.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BnvarChapter>(argc, argv); }
