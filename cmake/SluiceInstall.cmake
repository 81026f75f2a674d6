# What `cmake --install` puts under the prefix, and the Debian packages CPack
# builds from it (docs/writing-a-connector.md says how authors use them):
#
#   component  package        files
#   runtime    sluice         bin/sluice, lib/sluice/plugins/sluice-*.so,
#                             share/doc/sluice (README, docs/)
#   dev        libsluice-dev  include/sluice (the SDK: plugin.h, the C++ layer,
#                             the support library's headers),
#                             include/sluice-testkit/testkit (the fake-API kit),
#                             LIBDIR/libsluice_{support,timestamp,testkit}.a,
#                             LIBDIR/cmake/Sluice (find_package(Sluice):
#                             Sluice::sdk, Sluice::support, Sluice::timestamp,
#                             Sluice::testkit, sluice_add_plugin()),
#                             LIBDIR/pkgconfig/sluice.pc
#
# Plugins go to lib/sluice/plugins whatever LIBDIR is (lib/x86_64-linux-gnu
# on Debian): the host looks in its own ../lib/sluice/plugins
# (host/plugin/plugin_paths.cpp), so an unpacked tree works where it lies.
# The exported targets locate themselves from their own file, and sluice.pc
# names its prefix relative to its own folder:
# tests/install unpacks the .deb files into a scratch folder and builds
# examples/out-of-tree-plugin against that alone.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SLUICE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Sluice)
set(SLUICE_INSTALL_PLUGINDIR lib/sluice/plugins)

# The host and the in-tree connectors.
install(TARGETS sluice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
get_property(installed_plugins GLOBAL PROPERTY SLUICE_INSTALLED_PLUGINS)
foreach(plugin IN LISTS installed_plugins)
  install(TARGETS ${plugin} LIBRARY DESTINATION ${SLUICE_INSTALL_PLUGINDIR} COMPONENT runtime)
endforeach()
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY examples/out-of-tree-plugin DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT dev)

# The SDK.
install(DIRECTORY sdk/include/sluice DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(DIRECTORY tests/support/testkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sluice-testkit COMPONENT dev
  FILES_MATCHING PATTERN "*.hpp")
install(TARGETS sluice_sdk sluice_timestamp sluice_support sluice_testkit EXPORT SluiceTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT SluiceTargets NAMESPACE Sluice:: DESTINATION ${SLUICE_INSTALL_CMAKEDIR} COMPONENT dev)
configure_package_config_file(cmake/SluiceConfig.cmake.in ${CMAKE_BINARY_DIR}/SluiceConfig.cmake
  INSTALL_DESTINATION ${SLUICE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/SluiceConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/SluiceConfig.cmake ${CMAKE_BINARY_DIR}/SluiceConfigVersion.cmake
  cmake/SluicePlugin.cmake cmake/sluice_plugin.map
  DESTINATION ${SLUICE_INSTALL_CMAKEDIR} COMPONENT dev)
# sluice.pc names its prefix relative to itself (${pcfiledir}).
file(RELATIVE_PATH SLUICE_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(cmake/sluice.pc.in ${CMAKE_BINARY_DIR}/sluice.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/sluice.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# Debian packages: `cpack` in the build folder writes sluice_VERSION_ARCH.deb
# and libsluice-dev_VERSION_ARCH.deb. The runtime's dependencies come from
# dpkg-shlibdeps (the libraries the binary and plugins link); the dev
# package's are the -dev packages its headers and static libraries need.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VENDOR "Sluice")
set(CPACK_PACKAGE_CONTACT "Sluice developers <sluice@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Native connector framework: source plugins synced into SQL targets")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME sluice)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION database)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libsluice-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libboost1.81-dev, libboost-json1.81-dev, libpoco-dev, libssl-dev, cmake (>= 3.25), pkg-config")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "Sluice host (sluice) and its connector plugins")
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "Sluice SDK: headers, the connector support library, the fake-API test kit, CMake package and pkg-config file")
include(CPack)
