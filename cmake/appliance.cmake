# Helpers shared by every folder.

# appliance_unit_test(name SOURCES a.cpp b.cpp LIBS lib... [LABELS extra...])
# A GoogleTest binary beside the code it tests, registered with ctest under "unit".
function(appliance_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT APPLIANCE_TESTS)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT 300
    ENVIRONMENT "APPLIANCE_BUILD_DIR=${CMAKE_BINARY_DIR};SOFTHSM2_MODULE=${SOFTHSM2_MODULE}")
endfunction()

if(APPLIANCE_FUZZ)
  add_custom_target(fuzz_targets)
endif()

# appliance_fuzz_target(name SOURCES a.cpp LIBS lib... CORPUS dir)
# A libFuzzer target; in the fuzz preset ctest runs it for a bounded number of inputs.
function(appliance_fuzz_target name)
  cmake_parse_arguments(F "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  if(NOT APPLIANCE_FUZZ)
    return()
  endif()
  add_executable(${name} ${F_SOURCES})
  target_link_libraries(${name} PRIVATE ${F_LIBS})
  add_dependencies(fuzz_targets ${name})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(work ${CMAKE_BINARY_DIR}/fuzz-corpus/${name})
  file(MAKE_DIRECTORY ${work})
  # -entropic=0: with entropic scheduling libFuzzer's own bookkeeping took most
  # of a bounded run's time once a session target's corpus grew (150 s vs 45 s).
  add_test(NAME ${name} COMMAND ${name} -runs=20000 -max_len=4096 -timeout=10 -entropic=0
                                ${work} ${F_CORPUS})
  set_tests_properties(${name} PROPERTIES LABELS "fuzz" TIMEOUT 600)
endfunction()
