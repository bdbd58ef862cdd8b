# Writes what a chapter program says of itself, for the website: its --info (facts about the
# chapter), its --help (its options) and, for each of the N hints its --info counts, its
# --hint K, into <OUTPUT>.info, <OUTPUT>.help and <OUTPUT>.hints.
# cmake -DPROGRAM=<exe> -DOUTPUT=<path without extension> -P run_info.cmake
foreach(what info help)
  execute_process(COMMAND ${PROGRAM} --${what} OUTPUT_FILE ${OUTPUT}.${what} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE ${OUTPUT}.${what})
    message(FATAL_ERROR "${PROGRAM} --${what} failed (exit status ${rc})")
  endif()
endforeach()
file(STRINGS ${OUTPUT}.info hints_line REGEX "^hints: [0-9]+$")
string(REGEX REPLACE "^hints: " "" count "${hints_line}")
set(hints "")
if(count GREATER 0)
  foreach(k RANGE 1 ${count})
    execute_process(COMMAND ${PROGRAM} --hint ${k} OUTPUT_VARIABLE hint RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${PROGRAM} --hint ${k} failed (exit status ${rc})")
    endif()
    string(APPEND hints "${hint}")
  endforeach()
endif()
file(WRITE ${OUTPUT}.hints "${hints}")
