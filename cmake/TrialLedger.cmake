# Shared helpers for TrialLedger targets. Warnings are strict on our own code only; generated
# protobuf/gRPC code gets no extra warnings (see sdk/CMakeLists.txt).

function(tl_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
endfunction()

# tl_add_test(NAME name LABEL label SOURCES ... LIBS ... [TIMEOUT seconds] [ARGS ...])
# One GoogleTest executable registered as one ctest entry with a label (unit, sim, cluster,
# acceptance, fuzz) so `ctest -L unit` selects a layer.
function(tl_add_test)
  cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT" "SOURCES;LIBS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  tl_strict_warnings(${T_NAME})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABEL}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "TL_SHARED_DIR=${TL_SHARED_DIR};TL_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()

