# -DSLUICE_FUZZ=ON: a clang build whose code is instrumented for libFuzzer
# (coverage) and checked by ASan and UBSan, for the fuzz targets in
# tests/fuzz. Build only those: cmake --build build-fuzz --target fuzz_all
# (scripts/fuzz.sh does it).
option(SLUICE_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)
if(SLUICE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SLUICE_FUZZ needs clang: configure with CC=clang CXX=clang++ (scripts/fuzz.sh does)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
