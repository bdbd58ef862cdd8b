# Runs Doxygen and fails on any output on its standard error: Doxygen 1.9.4 reports unknown or
# obsolete configuration tags there but still exits 0, and WARN_AS_ERROR only covers warnings
# about the sources. Then copies into the site the parts of MathJax 2 its pages load.
# cmake -DDOXYGEN=<exe> -DDOXYFILE=<file> -DHTML_DIR=<dir> -DMATHJAX_DIR=<dir> -P run_doxygen.cmake
file(REMOVE_RECURSE ${HTML_DIR})
get_filename_component(work_dir ${DOXYFILE} DIRECTORY)
execute_process(COMMAND ${DOXYGEN} ${DOXYFILE}
                WORKING_DIRECTORY ${work_dir}
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
  file(REMOVE ${HTML_DIR}/index.html)
  string(REGEX MATCHALL "(error|warning): " problems "${err}")
  list(LENGTH problems n_problems)
  message(FATAL_ERROR "doxygen: ${n_problems} warnings (exit ${rc}); the docs must build without "
                      "any. Its standard error:\n${err}")
endif()

# MathJax: the loader, TeX input, HTML-CSS output with the TeX web fonts, and the extensions.
set(mj ${HTML_DIR}/mathjax)
file(COPY ${MATHJAX_DIR}/MathJax.js DESTINATION ${mj} FOLLOW_SYMLINK_CHAIN)
foreach(part extensions jax/input/TeX jax/element fonts/HTML-CSS/TeX/woff fonts/HTML-CSS/TeX/otf)
  get_filename_component(parent ${part} DIRECTORY)
  file(COPY ${MATHJAX_DIR}/${part} DESTINATION ${mj}/${parent} FOLLOW_SYMLINK_CHAIN)
endforeach()
foreach(part config.js jax.js autoload fonts/TeX)
  get_filename_component(parent jax/output/HTML-CSS/${part} DIRECTORY)
  file(COPY ${MATHJAX_DIR}/jax/output/HTML-CSS/${part} DESTINATION ${mj}/${parent}
       FOLLOW_SYMLINK_CHAIN)
endforeach()
