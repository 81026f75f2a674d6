# Counts the lines of the author-facing SDK headers: everything under
# sdk/include/sluice/ except plugin.h (the ABI, read by C authors too) and
# detail/ (the glue authors never include). Prints each file and the total,
# and fails above the budget so the surface third parties learn stays small.
# Run: cmake -DSDK_INCLUDE=$PWD/sdk/include/sluice -DBUDGET=600 -P tests/sdk/header_budget.cmake
cmake_policy(SET CMP0007 NEW)
file(GLOB_RECURSE headers RELATIVE ${SDK_INCLUDE} ${SDK_INCLUDE}/*.hpp ${SDK_INCLUDE}/*.h)
list(SORT headers)
set(total 0)
foreach(header IN LISTS headers)
  if(header STREQUAL "plugin.h" OR header MATCHES "^detail/")
    continue()
  endif()
  # Every line, empty ones too, as wc -l counts them.
  file(READ ${SDK_INCLUDE}/${header} text)
  string(REGEX MATCHALL "\n" newlines "${text}")
  list(LENGTH newlines count)
  message(STATUS "${count}\t${header}")
  math(EXPR total "${total} + ${count}")
endforeach()
message(STATUS "${total}\tauthor-facing SDK headers (budget ${BUDGET})")
if(total GREATER BUDGET)
  message(FATAL_ERROR "the author-facing SDK headers are ${total} lines, over the budget of ${BUDGET}")
endif()
