/// @file
/// @brief The program of chapter 12: prints the cmp lines of dbnvar_inv.
#include "12_bnvar_inv/bnvar_inv.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BnvarInvChapter>(argc, argv); }
