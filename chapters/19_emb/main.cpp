/// @file
/// @brief The program of chapter 19: prints the cmp lines of demb.
#include "19_emb/exercise.hpp"  // the solution (emb.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::EmbChapter>(argc, argv); }
