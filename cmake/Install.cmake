# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# `cmake --install`: headers, libraries, tools, the CMake package BrightOffice and the
# pkg-config modules brightoffice and brightoffice-bindings. Install rules only: every target
# is defined, with its usage requirements, in the top CMakeLists.txt, which includes this file
# when BRIGHTOFFICE_INSTALL is ON (the default for a build of this checkout, not for a
# subproject). docs/install.md explains the layout and the versioning policy.
#
# What is installed, and why the gSOAP globals are never duplicated:
#   libbrightoffice.so.X    the facade, shared (brightoffice::brightoffice). The bindings are
#                           linked into it privately with their symbols hidden (--exclude-libs),
#                           and it does NOT contain the global SOAP Header/Fault code or the
#                           namespaces table: those stay undefined in it, resolved by the program.
#   libbrightoffice.a       the facade, static (brightoffice::brightoffice_static).
#   libbrightoffice_bindings.a        brightoffice::bindings (namespaced, no globals).
#   libbrightoffice_gsoap_globals.a   brightoffice::gsoap_globals: one object, pulled in by
#                           LINKER:--undefined=namespaces only when the program does not define
#                           the globals itself. The facade's INTERFACE links it.
#   libbrightoffice_mock.a  brightoffice::mock (the mock service in-process, for tests).

include(CMakePackageConfigHelpers)

set(BRIGHTOFFICE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/BrightOffice")

# --- files ------------------------------------------------------------------------------------
install(TARGETS brightoffice_shared brightoffice_static brightoffice_bindings brightoffice_gsoap_globals
  EXPORT BrightOfficeTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev NAMELINK_COMPONENT dev)
# The mock links nlohmann_json (header-only) privately: its own export set, loaded by the
# package only when nlohmann_json is found, so that the facade does not need it.
install(TARGETS brightoffice_mock
  EXPORT BrightOfficeMockTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev)
install(TARGETS brightoffice-mfa brightoffice-mock
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT tools)

install(DIRECTORY src/include/brightoffice/
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/brightoffice" COMPONENT dev
  FILES_MATCHING PATTERN "*.h")
# The generated binding headers, for an application that drives the proxy itself (the include
# folder of brightoffice::bindings and of the brightoffice-bindings module).
install(FILES
  "${gen}/brightoffice_gsoapStub.h"
  "${gen}/brightoffice_gsoapH.h"
  "${gen}/brightoffice_gsoapBrightOfficeAPISoapProxy.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/brightoffice/gsoap" COMPONENT dev)

install(EXPORT BrightOfficeTargets NAMESPACE brightoffice::
  DESTINATION "${BRIGHTOFFICE_CMAKE_DIR}" COMPONENT dev)
install(EXPORT BrightOfficeMockTargets NAMESPACE brightoffice::
  DESTINATION "${BRIGHTOFFICE_CMAKE_DIR}" COMPONENT dev)
configure_package_config_file(cmake/BrightOfficeConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/BrightOfficeConfig.cmake"
  INSTALL_DESTINATION "${BRIGHTOFFICE_CMAKE_DIR}")
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/BrightOfficeConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY ${BRIGHTOFFICE_COMPATIBILITY})
install(FILES
  "${CMAKE_CURRENT_BINARY_DIR}/BrightOfficeConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/BrightOfficeConfigVersion.cmake"
  DESTINATION "${BRIGHTOFFICE_CMAKE_DIR}" COMPONENT dev)

# pkg-config files with a relocatable prefix (${pcfiledir}), so that the tree works wherever
# it is unpacked (a staging folder, dpkg -x, /usr).
file(RELATIVE_PATH BRIGHTOFFICE_PC_PREFIX_REL "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" BRIGHTOFFICE_PC_PREFIX_REL "${BRIGHTOFFICE_PC_PREFIX_REL}")
foreach(pc brightoffice brightoffice-bindings)
  configure_file("cmake/${pc}.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc"
    DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT dev)
endforeach()

include("${CMAKE_CURRENT_SOURCE_DIR}/cmake/Packaging.cmake")
