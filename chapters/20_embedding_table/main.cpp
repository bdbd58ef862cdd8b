/// @file
/// @brief The program of chapter 20: prints the cmp lines of dC.
#include "20_embedding_table/exercise.hpp"  // the solution (embedding_table.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::EmbeddingTableChapter>(argc, argv); }
