/// @file
/// @brief The program of chapter 02: prints the cmp line of dprobs.
#include "02_probs/probs.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<ninja::ProbsChapter>(argc, argv); }
