# cmake -DROOT=tests -P test_names.cmake: fails when a test name holds a ';'.
# catch_discover_tests registers each TEST_CASE as a ctest test, and CMake
# reads ';' as a list separator: a name with one became two ctest tests whose
# filters matched nothing, which "passed" without running a line (21 such
# tests were found on 2026-12-07).
file(GLOB_RECURSE sources "${ROOT}/*.cpp")
set(bad "")
foreach(source IN LISTS sources)
  file(READ "${source}" text)
  # A TEST_CASE or TEMPLATE_TEST_CASE whose first string literal has a ';'.
  if(text MATCHES "TEST_CASE\\(\"[^\"\n]*;")
    list(APPEND bad "${source}")
  endif()
endforeach()
if(bad)
  list(JOIN bad "\n  " files)
  message(FATAL_ERROR "test names must not contain ';' (ctest splits them), in:\n  ${files}")
endif()
