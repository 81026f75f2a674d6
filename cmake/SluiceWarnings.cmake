# sluice_warnings(target): the warning set all of our own code compiles with.
# Our code builds warning-free; -Werror is on in CI (SLUICE_WERROR).
option(SLUICE_WERROR "Treat warnings in Sluice's own code as errors" OFF)
function(sluice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wcast-align -Wnull-dereference -Wformat=2
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>)
  if(SLUICE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O3 (Release) reports -Wrestrict on plain `"x" + str`
    # concatenations inside libstdc++ (GCC bug 105329, fixed in GCC 13):
    # kept a warning there so a Release build (bench/) builds with -Werror.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()
