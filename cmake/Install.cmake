# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# `cmake --install`: headers, libraries, tools, the CMake package BrightOffice and the
# pkg-config modules brightoffice and brightoffice-bindings. Included at the end of the top
# CMakeLists.txt; docs/install.md explains the layout and the versioning policy.
#
# What is installed, and why the gSOAP globals are never duplicated:
#   libbrightoffice.so.X    the facade, shared. The bindings are linked into it privately
#                           with their symbols hidden (--exclude-libs), and it does NOT
#                           contain the global SOAP Header/Fault code or the namespaces table:
#                           those stay undefined in it, resolved by the program.
#   libbrightoffice.a       the facade, static (brightoffice::brightoffice_static).
#   libbrightoffice_bindings.a        brightoffice::bindings (namespaced, no globals).
#   libbrightoffice_gsoap_globals.a   brightoffice::gsoap_globals: one object, pulled in by
#                           LINKER:--undefined=namespaces only when the program does not define
#                           the globals itself. The facade's INTERFACE links it.
#   libbrightoffice_mock.a  brightoffice::mock (the mock service in-process, for tests).

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BRIGHTOFFICE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/BrightOffice")
set(BRIGHTOFFICE_GSOAP_INCLUDE_DIR "${CMAKE_INSTALL_INCLUDEDIR}/brightoffice/gsoap")

# --- versioning policy --------------------------------------------------------------------
# Semantic versioning of the C++ API and ABI. While the major version is 0, every minor
# release may break the ABI, so the SONAME carries major.minor (libbrightoffice.so.0.1);
# from 1.0 on it carries the major version only (libbrightoffice.so.1) and only a major
# release breaks the ABI. The CMake package's version file says the same.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(BRIGHTOFFICE_SOVERSION "0.${PROJECT_VERSION_MINOR}")
  set(BRIGHTOFFICE_COMPATIBILITY SameMinorVersion)
else()
  set(BRIGHTOFFICE_SOVERSION "${PROJECT_VERSION_MAJOR}")
  set(BRIGHTOFFICE_COMPATIBILITY SameMajorVersion)
endif()

# --- the shared facade ----------------------------------------------------------------------
# Built from the static facade's (position-independent) objects: nothing is compiled twice.
add_library(brightoffice_shared SHARED $<TARGET_OBJECTS:brightoffice>)
set_target_properties(brightoffice_shared PROPERTIES
  OUTPUT_NAME brightoffice
  EXPORT_NAME brightoffice
  VERSION "${PROJECT_VERSION}"
  SOVERSION "${BRIGHTOFFICE_SOVERSION}")
target_include_directories(brightoffice_shared PUBLIC
  "$<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/src/include>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
# The bindings go in privately and hidden; the globals only into the INTERFACE (the program
# links them, or has its own), never into the shared library itself. OpenSSL: libcrypto
# (OPENSSL_cleanse) and libssl, for TLS code of the facade's own beside gSOAP's.
target_link_libraries(brightoffice_shared
  PRIVATE brightoffice_bindings OpenSSL::SSL OpenSSL::Crypto
  PUBLIC Threads::Threads
  INTERFACE brightoffice_gsoap_globals)
target_link_options(brightoffice_shared PRIVATE "LINKER:--exclude-libs,ALL")

target_include_directories(brightoffice INTERFACE "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
# The installed static facade must bring libssl as the shared one does.
target_link_libraries(brightoffice PRIVATE OpenSSL::SSL)
set_target_properties(brightoffice PROPERTIES EXPORT_NAME brightoffice_static)
target_include_directories(brightoffice_bindings INTERFACE "$<INSTALL_INTERFACE:${BRIGHTOFFICE_GSOAP_INCLUDE_DIR}>")
set_target_properties(brightoffice_bindings PROPERTIES EXPORT_NAME bindings)
set_target_properties(brightoffice_gsoap_globals PROPERTIES EXPORT_NAME gsoap_globals)
set_target_properties(brightoffice_mock PROPERTIES EXPORT_NAME mock)

# --- files ------------------------------------------------------------------------------------
install(TARGETS brightoffice_shared brightoffice brightoffice_bindings brightoffice_gsoap_globals
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
# The generated binding headers, for an application that drives the proxy itself.
install(FILES
  "${gen}/brightoffice_gsoapStub.h"
  "${gen}/brightoffice_gsoapH.h"
  "${gen}/brightoffice_gsoapBrightOfficeAPISoapProxy.h"
  DESTINATION "${BRIGHTOFFICE_GSOAP_INCLUDE_DIR}" COMPONENT dev)

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

include(cmake/Packaging.cmake)
include(cmake/Docs.cmake)

if(BRIGHTOFFICE_BUILD_TESTS)
  add_subdirectory(tests/install)
endif()
