# Runs one chapter program for the website and keeps its standard output verbatim. The program's
# --info says how: its `run:` arguments (with {out} the current folder, where its pictures go)
# and its `quick:` ones (chapter 23's shorter run). A program that fails, or whose gradients do
# not match (exit status 1), fails the docs: the site shows only results that hold.
# cmake -DPROGRAM=<exe> -DINFO=<its --info> -DOUTPUT=<file> -P run_program.cmake
file(STRINGS ${INFO} run_line REGEX "^run: ")
file(STRINGS ${INFO} quick_line REGEX "^quick: ")
set(args "")
foreach(line IN LISTS run_line quick_line)
  string(REGEX REPLACE "^[a-z]+: " "" line "${line}")
  string(REPLACE "{out}" "." line "${line}")
  separate_arguments(words UNIX_COMMAND "${line}")
  list(APPEND args ${words})
endforeach()
execute_process(COMMAND ${PROGRAM} ${args}
                OUTPUT_FILE ${OUTPUT}.part
                ERROR_VARIABLE errors
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(READ ${OUTPUT}.part output)
  file(REMOVE ${OUTPUT}.part)
  message(FATAL_ERROR "${PROGRAM} ${args} failed (exit status ${rc}):\n${output}${errors}")
endif()
file(RENAME ${OUTPUT}.part ${OUTPUT})
