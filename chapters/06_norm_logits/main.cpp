/// @file
/// @brief The program of chapter 06: prints the cmp lines of dnorm_logits.
#include "06_norm_logits/exercise.hpp"  // the solution (norm_logits.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::NormLogitsChapter>(argc, argv); }
