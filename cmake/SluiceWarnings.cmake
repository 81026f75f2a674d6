# sluice_warnings(target): the warning set all of our own code compiles with.
# Our code builds warning-free; -Werror is on in CI (SLUICE_WERROR).
option(SLUICE_WERROR "Treat warnings in Sluice's own code as errors" OFF)
function(sluice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wcast-align -Wnull-dereference -Wformat=2
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>)
  if(SLUICE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
