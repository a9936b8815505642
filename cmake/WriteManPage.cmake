# cmake -DIMGLINT=path/to/imglint -DOUTPUT=imglint.1 -P WriteManPage.cmake
# A script rather than a shell redirect, so a failing binary fails the build
# instead of leaving an empty man page behind.
execute_process(COMMAND ${IMGLINT} --help-man OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${IMGLINT} --help-man failed: ${status}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
