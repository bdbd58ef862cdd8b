/// @file
/// @brief The program of chapter 11: prints the cmp lines of its gradients.
#include "11_batchnorm_scale/exercise.hpp"  // the solution (batchnorm_scale.hpp) and the exercise
#include "common/program/run_chapter.hpp"

int main(int argc, char** argv) { return ninja::run_chapter<11>(argc, argv); }
