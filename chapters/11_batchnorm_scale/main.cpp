/// @file
/// @brief The program of chapter 11: prints the cmp lines of dbngain, dbnbias, dbnraw.
#include "11_batchnorm_scale/exercise.hpp"  // the solution (batchnorm_scale.hpp) and the exercise

int main(int argc, char** argv) { return ninja::run_chapter<ninja::BatchnormScaleChapter>(argc, argv); }
