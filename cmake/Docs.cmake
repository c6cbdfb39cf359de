# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# `cmake --build build --target docs`: the API reference of the public headers with Doxygen,
# into build/docs/html. Any Doxygen warning (an undocumented public name, a broken command)
# fails it. Included by the top CMakeLists.txt when BRIGHTOFFICE_BUILD_DOCS is ON; the test
# `docs` (label docs) runs it.
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  set(BRIGHTOFFICE_DOCS_DIR "${CMAKE_CURRENT_BINARY_DIR}/docs")
  configure_file(docs/Doxyfile.in "${CMAKE_CURRENT_BINARY_DIR}/Doxyfile" @ONLY)
  add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -E make_directory "${BRIGHTOFFICE_DOCS_DIR}"
    COMMAND Doxygen::doxygen "${CMAKE_CURRENT_BINARY_DIR}/Doxyfile"
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "Doxygen: API reference in ${BRIGHTOFFICE_DOCS_DIR}/html"
    VERBATIM)
  if(BRIGHTOFFICE_BUILD_TESTS)
    # The docs target's command, as a test.
    add_test(NAME docs COMMAND Doxygen::doxygen "${CMAKE_CURRENT_BINARY_DIR}/Doxyfile"
      WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
    set_tests_properties(docs PROPERTIES LABELS docs TIMEOUT 120)
  endif()
else()
  message(STATUS "Doxygen not found: no docs target")
endif()
