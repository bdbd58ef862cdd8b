/// @file
/// @brief The program of every chapter with a step of its own (01-22), compiled once per
/// chapter by chapters/CMakeLists.txt with the chapter's number and, in exercise mode, the header
/// that names the learner's step (NINJA_STEPS_HEADER).
#ifdef NINJA_EXERCISES
#include NINJA_STEPS_HEADER  // the learner's step, Yours<N>
#endif
#include "common/program/chapter_program.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<NINJA_CHAPTER_NUMBER>(argc, argv); }
