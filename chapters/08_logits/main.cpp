/// @file
/// @brief The program of chapter 08: prints the cmp lines of dlogits.
#include "08_logits/exercise.hpp"  // the solution (logits.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::LogitsChapter>(argc, argv); }
