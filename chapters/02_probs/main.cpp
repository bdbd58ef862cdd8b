/// @file
/// @brief The program of chapter 02: prints the cmp line of dprobs.
#include "02_probs/exercise.hpp"  // the solution (probs.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::ProbsChapter>(argc, argv); }
