# Runs one chapter program for the website and keeps its standard output verbatim. A program that
# fails, or whose gradients do not match (exit status 1), fails the docs: the site shows only
# results that hold.
# cmake -DPROGRAM=<exe> -DARGS=<list> -DOUTPUT=<file> -P run_program.cmake
execute_process(COMMAND ${PROGRAM} ${ARGS}
                OUTPUT_FILE ${OUTPUT}.part
                ERROR_VARIABLE errors
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(READ ${OUTPUT}.part output)
  file(REMOVE ${OUTPUT}.part)
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed (exit status ${rc}):\n${output}${errors}")
endif()
file(RENAME ${OUTPUT}.part ${OUTPUT})
