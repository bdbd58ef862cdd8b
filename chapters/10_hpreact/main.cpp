/// @file
/// @brief The program of chapter 10: prints the cmp lines of dhpreact.
#include "10_hpreact/hpreact.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<ninja::HpreactChapter>(argc, argv); }
