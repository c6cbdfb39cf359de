# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# CPack: two Debian packages from the install components (included by cmake/Install.cmake).
#   libbrightoffice-dev  component dev:   libraries (shared and static), headers, CMake
#                        package, pkg-config files
#   brightoffice-tools   component tools: brightoffice-mfa and brightoffice-mock
# Build them with `cpack -G DEB` in the build folder (or `cmake --build build --target package`).

# Debian's copyright file in each package.
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/libbrightoffice-dev" RENAME copyright COMPONENT dev)
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/brightoffice-tools" RENAME copyright COMPONENT tools)

set(CPACK_PACKAGE_NAME brightoffice)
set(CPACK_PACKAGE_VENDOR "brightoffice-cpp")
set(CPACK_PACKAGE_CONTACT "brightoffice-cpp maintainers <brightoffice-cpp@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL dev tools)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Run-time dependencies of the shared library and the tools, found by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libbrightoffice-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# What building against the package needs: gSOAP's headers and pkg-config module, OpenSSL's
# CMake/pkg-config files; nlohmann-json3-dev only for brightoffice::mock.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libgsoap-dev (>= 2.8.124), libssl-dev, pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "nlohmann-json3-dev, brightoffice-tools")
set(CPACK_COMPONENT_DEV_DESCRIPTION "C++ client for the BrightOffice API: library and headers
 The facade brightoffice::Client (shared and static), the namespaced gSOAP bindings, the
 CMake package BrightOffice and the pkg-config modules brightoffice and brightoffice-bindings.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME brightoffice-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION "BrightOffice API command line and mock service
 brightoffice-mfa confirms a customer user's MFA code; brightoffice-mock is a stand-in
 BrightOffice service on loopback for integration tests.")

include(CPack)
