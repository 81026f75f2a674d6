# SLUICE_SANITIZE: build every target (the host, its libraries, the plugins
# the host dlopens, the test plugins and the test executables) with
# sanitizers. One of:
#   ""                   no sanitizer (the default)
#   "address,undefined"  ASan + UBSan (LeakSanitizer comes with ASan)
#   "thread"             TSan
# The flags are added globally, before any target is defined, so a plugin
# can never be built without the runtime its host was built with. UBSan does
# not recover: the first report aborts the process, so it fails the test that
# caused it instead of scrolling past in a passing test's output.
# The options the tests run under (ASAN_OPTIONS, suppressions, where reports
# go) are set below, for every test ctest runs in the build tree.
set(SLUICE_SANITIZE "" CACHE STRING
  "Sanitizers for every target: empty, address,undefined or thread")
set_property(CACHE SLUICE_SANITIZE PROPERTY STRINGS "" "address,undefined" "thread")

set(SLUICE_SANITIZER_ENVIRONMENT "")
if(SLUICE_SANITIZE STREQUAL "")
  return()
endif()

string(REPLACE "," ";" _sluice_sanitizers "${SLUICE_SANITIZE}")
foreach(_s IN LISTS _sluice_sanitizers)
  if(NOT _s MATCHES "^(address|undefined|thread)$")
    message(FATAL_ERROR "SLUICE_SANITIZE: unknown sanitizer '${_s}' (use address,undefined or thread)")
  endif()
endforeach()
if("address" IN_LIST _sluice_sanitizers AND "thread" IN_LIST _sluice_sanitizers)
  message(FATAL_ERROR "SLUICE_SANITIZE: address and thread cannot be combined")
endif()
if(SLUICE_FUZZ)
  message(FATAL_ERROR "SLUICE_SANITIZE and SLUICE_FUZZ are separate builds (the fuzz build has ASan and UBSan already)")
endif()

# -O1 -g1 whatever the build type: the optimisation level the sanitizers'
# documentation recommends, and half the compile time of -O2 -g on this code
# (measured on host/target/target.cpp: 7 s instead of 16 s of CPU); line tables
# are enough for file:line in every report.
add_compile_options(-fsanitize=${SLUICE_SANITIZE} -fno-omit-frame-pointer -O1 -g1)
add_link_options(-fsanitize=${SLUICE_SANITIZE})
if("undefined" IN_LIST _sluice_sanitizers)
  # UBSan without its four pointer checks. They were nearly all of its
  # compile cost: host/config/schema_validator.cpp took 22 s of CPU with
  # them and 12 s without (about what ASan alone takes), and the ASan build
  # is CI's longest step. What they catch is mostly caught anyway:
  #   object-size  out-of-bounds access: ASan checks every one, exactly
  #   null         a NULL dereference: a SIGSEGV, which ASan reports with
  #                its stack (a test plugin that crashes on purpose relies
  #                on that SIGSEGV)
  #   alignment    misaligned loads: harmless on x86-64, Sluice's platform
  #   vptr         a downcast to the wrong class
  # The fuzz build (cmake/SluiceFuzz.cmake: clang, the full UBSan set) still
  # runs all four over the parsers and decoders. The checks kept are
  # UBSan's arithmetic and value ones (signed overflow caught a 2^40 clamp
  # in retry_delay.cpp), at ~1 s of CPU on that file.
  add_compile_options(-fno-sanitize-recover=undefined -fno-sanitize=alignment,null,object-size,vptr)
endif()
# GCC's instrumentation makes -Wmaybe-uninitialized report false positives
# (GCC's manual advises against -Werror with sanitizers; seen here inside
# libstdc++'s <regex>). It stays a warning; SLUICE_WERROR keeps every other
# warning an error, and the plain build keeps this one an error too.
if(SLUICE_WERROR AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-error=maybe-uninitialized)
endif()

# The options every test runs with (and every process it starts):
#  - halt_on_error: the first report ends the process with a non-zero status.
#  - log_path: reports go to files under sanitizer-reports/ in the build
#    directory, not to stderr. Tests compare stderr byte for byte, and a
#    child whose status a test does not look at (a killed sync, a plugin
#    probe) must not lose its report: scripts/sanitizer-pass.sh fails the pass
#    if any report file exists after ctest, whatever the tests said.
#  - handle_segv/handle_sigbus/handle_sigfpe/handle_sigill=0 (and
#    handle_abort=0, the default, said out loud): the host reports a plugin
#    that crashes with its own one-line message and then dies by that signal
#    (host/plugin/call_guard.hpp), and tests/cli and tests/plugins crash
#    plugins on purpose (misbehaving.c, crash_static, abort_spec) to check
#    that line and the signal. With the sanitizer's handler the process would
#    exit 1 with a report instead. A real crash in our code still fails its
#    test: it dies by the signal.
#  - suppressions: only for third-party libraries; each entry says why.
set(SLUICE_SANITIZER_REPORT_DIR ${CMAKE_BINARY_DIR}/sanitizer-reports)
set(_sluice_supp ${CMAKE_CURRENT_LIST_DIR}/sanitizers)
set(_sluice_signals "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0")
if("address" IN_LIST _sluice_sanitizers)
  list(APPEND SLUICE_SANITIZER_ENVIRONMENT
    "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1:${_sluice_signals}:log_path=${SLUICE_SANITIZER_REPORT_DIR}/asan"
    "LSAN_OPTIONS=suppressions=${_sluice_supp}/lsan.supp:print_suppressions=0")
endif()
if("undefined" IN_LIST _sluice_sanitizers)
  list(APPEND SLUICE_SANITIZER_ENVIRONMENT
    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=${SLUICE_SANITIZER_REPORT_DIR}/ubsan")
endif()
if("thread" IN_LIST _sluice_sanitizers)
  list(APPEND SLUICE_SANITIZER_ENVIRONMENT
    "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:${_sluice_signals}:suppressions=${_sluice_supp}/tsan.supp:log_path=${SLUICE_SANITIZER_REPORT_DIR}/tsan")
endif()

# Every test gets these variables without any setup by the caller: ctest
# includes the file below before it runs the tests (TEST_INCLUDE_FILES of the
# top directory), and the variables it sets are inherited by each test and
# by every process a test starts (the CLI, plugin probes). Options the caller
# already set come last, so they win.
set(_sluice_env_file ${CMAKE_BINARY_DIR}/sanitizer-test-environment.cmake)
set(_sluice_env_text "# Generated by cmake/SluiceSanitize.cmake for SLUICE_SANITIZE=${SLUICE_SANITIZE}
file(MAKE_DIRECTORY \"${SLUICE_SANITIZER_REPORT_DIR}\")\n")
foreach(_assignment IN LISTS SLUICE_SANITIZER_ENVIRONMENT)
  string(REGEX MATCH "^[A-Z_]+" _name "${_assignment}")
  string(LENGTH "${_name}=" _skip)
  string(SUBSTRING "${_assignment}" ${_skip} -1 _value)
  string(APPEND _sluice_env_text "set(ENV{${_name}} \"${_value}:\$ENV{${_name}}\")\n")
endforeach()
file(WRITE ${_sluice_env_file} "${_sluice_env_text}")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${_sluice_env_file})

