/// @file
/// @brief The program of chapter 01: prints the cmp line of dlogprobs.
#include "01_logprobs/exercise.hpp"  // the solution (logprobs.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::LogprobsChapter>(argc, argv); }
