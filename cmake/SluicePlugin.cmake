# sluice_add_plugin(NAME SOURCES ...): builds a connector plugin the way the
# ABI expects it (docs/plugin-abi.md):
#  - hidden visibility and a version script, so the entry symbol is the only
#    thing the .so exports and plugins never shadow each other's symbols;
#  - --no-undefined, so a missing symbol fails the build, not the load;
#  - output named sluice-<name>.so in the plugin directory the host searches.
# The same file serves Sluice's own tree and an installed SDK
# (find_package(Sluice) includes it): out of tree, the output folder defaults
# to BUILD/plugins (run `sluice --plugin-dir BUILD/plugins ...`), and the
# project's warning set is applied only in Sluice's own tree.
function(sluice_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    if(SLUICE_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR ${SLUICE_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX "" OUTPUT_NAME "sluice-${name}"
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE Sluice::sdk ${ARG_LIBRARIES})
  target_link_options(${name} PRIVATE
    -Wl,--version-script=${SLUICE_PLUGIN_VERSION_SCRIPT} -Wl,--no-undefined)
  if(COMMAND sluice_warnings)
    sluice_warnings(${name})
  endif()
endfunction()
set(SLUICE_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/sluice_plugin.map)
