/// @file
/// @brief The program of chapter 12: prints the cmp lines of dbnvar_inv.
#include "12_bnvar_inv/exercise.hpp"  // the solution (bnvar_inv.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BnvarInvChapter>(argc, argv); }
