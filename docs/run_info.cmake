# Writes what a chapter program prints with --info into a file (the website's facts about it).
# cmake -DPROGRAM=<exe> -DOUTPUT=<file> -P run_info.cmake
execute_process(COMMAND ${PROGRAM} --info OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUTPUT})
  message(FATAL_ERROR "${PROGRAM} --info failed (exit status ${rc})")
endif()
