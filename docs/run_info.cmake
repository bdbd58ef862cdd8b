# Writes what a chapter program says of itself, for the website: its --info (facts about the
# chapter) and its --help (its options), into <OUTPUT>.info and <OUTPUT>.help.
# cmake -DPROGRAM=<exe> -DOUTPUT=<path without extension> -P run_info.cmake
foreach(what info help)
  execute_process(COMMAND ${PROGRAM} --${what} OUTPUT_FILE ${OUTPUT}.${what} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE ${OUTPUT}.${what})
    message(FATAL_ERROR "${PROGRAM} --${what} failed (exit status ${rc})")
  endif()
endforeach()
