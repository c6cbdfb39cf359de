# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# What the two consumer projects (fetchcontent/, subdirectory/) share: the application's own
# settings, the checks that brightoffice added its targets and nothing else, and the programs.
#
#   brightoffice_consumer_settings()      before brightoffice is added
#   brightoffice_consumer_check(SRC)      after: SRC is brightoffice's source folder
#   brightoffice_consumer_programs()      the programs, their tests and install rules

# The application's own choices, which brightoffice must neither need nor change: C++14 for its
# targets (the C++17 of brightoffice's headers must come with brightoffice's targets), no build
# type, tests of its own.
macro(brightoffice_consumer_settings)
  set(CMAKE_CXX_STANDARD 14)
  set(CMAKE_CXX_STANDARD_REQUIRED ON)
  enable_testing()
  get_property(brightoffice_consumer_build_type CACHE CMAKE_BUILD_TYPE PROPERTY VALUE)
endmacro()

# Every folder brightoffice added (DIR and its subdirectories, recursively) into OUT.
function(brightoffice_consumer_folders dir out)
  set(all "${dir}")
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    brightoffice_consumer_folders("${sub}" more)
    list(APPEND all ${more})
  endforeach()
  set(${out} "${all}" PARENT_SCOPE)
endfunction()

function(brightoffice_consumer_check source_dir)
  # Nothing set for the parent: its build type, standard and PIC setting are its own.
  get_property(build_type CACHE CMAKE_BUILD_TYPE PROPERTY VALUE)
  if(NOT "${build_type}" STREQUAL "${brightoffice_consumer_build_type}")
    message(FATAL_ERROR "brightoffice changed CMAKE_BUILD_TYPE from '${brightoffice_consumer_build_type}' to '${build_type}'")
  endif()
  if(NOT CMAKE_CXX_STANDARD EQUAL 14)
    message(FATAL_ERROR "brightoffice changed CMAKE_CXX_STANDARD to '${CMAKE_CXX_STANDARD}'")
  endif()
  foreach(variable CMAKE_CXX_STANDARD CMAKE_CXX_EXTENSIONS CMAKE_POSITION_INDEPENDENT_CODE)
    get_property(cached CACHE ${variable} PROPERTY TYPE SET)
    if(cached)
      message(FATAL_ERROR "brightoffice put ${variable} in the cache")
    endif()
  endforeach()
  if(DEFINED CMAKE_POSITION_INDEPENDENT_CODE OR DEFINED CMAKE_CXX_EXTENSIONS)
    message(FATAL_ERROR "brightoffice set CMAKE_POSITION_INDEPENDENT_CODE or CMAKE_CXX_EXTENSIONS for the parent")
  endif()

  # The targets, as the installed package names them.
  foreach(pair brightoffice:SHARED_LIBRARY brightoffice_static:STATIC_LIBRARY bindings:STATIC_LIBRARY
               gsoap_globals:STATIC_LIBRARY mock:STATIC_LIBRARY)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 name)
    list(GET pair 1 expected_type)
    if(NOT TARGET brightoffice::${name})
      message(FATAL_ERROR "no target brightoffice::${name}")
    endif()
    get_target_property(type brightoffice::${name} TYPE)
    get_target_property(features brightoffice::${name} INTERFACE_COMPILE_FEATURES)
    if(NOT type STREQUAL expected_type OR NOT "cxx_std_17" IN_LIST features)
      message(FATAL_ERROR "brightoffice::${name} is a ${type} with features '${features}', not a ${expected_type} with cxx_std_17")
    endif()
    message(STATUS "consumer: brightoffice::${name} ${type} ${features}")
  endforeach()
  foreach(program brightoffice-mfa brightoffice-mock)
    if(NOT TARGET ${program})
      message(FATAL_ERROR "no target ${program}")
    endif()
  endforeach()

  # None of the project's tests, benchmarks, examples or docs.
  brightoffice_consumer_folders("${source_dir}" folders)
  foreach(folder IN LISTS folders)
    file(RELATIVE_PATH relative "${source_dir}" "${folder}")
    if(relative MATCHES "^(tests|bench|examples)(/|$)")
      message(FATAL_ERROR "brightoffice added its folder ${relative}")
    endif()
    get_property(tests DIRECTORY "${folder}" PROPERTY TESTS)
    if(tests)
      message(FATAL_ERROR "brightoffice added tests in ${folder}: ${tests}")
    endif()
  endforeach()
  if(TARGET docs OR TARGET brightoffice-bench OR TARGET package)
    message(FATAL_ERROR "brightoffice defined a docs, benchmark or package target")
  endif()
  message(STATUS "consumer: brightoffice added its libraries and programs, and no tests, benchmarks, examples or docs")
endfunction()

# The programs, each compiled with strict warnings as errors: the facade against the mock,
# shared and static, and the generated proxy under the library's gsoap::Policy with the gSOAP
# globals; and, compiled only, <brightoffice/gsoap/policy.h> with each facade target alone (its
# gSOAP flags must come with the target).
function(brightoffice_consumer_programs)
  set(here "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")
  set(warnings -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Werror)
  add_executable(consumer_shared "${here}/facade_app.cc")
  target_link_libraries(consumer_shared PRIVATE brightoffice::brightoffice brightoffice::mock)
  add_executable(consumer_static "${here}/facade_app.cc")
  target_link_libraries(consumer_static PRIVATE brightoffice::brightoffice_static brightoffice::mock)
  add_executable(consumer_bindings "${here}/bindings_app.cc")
  target_link_libraries(consumer_bindings PRIVATE
    brightoffice::brightoffice brightoffice::bindings brightoffice::gsoap_globals brightoffice::mock)
  foreach(program consumer_shared consumer_static consumer_bindings)
    target_compile_options(${program} PRIVATE ${warnings})
    add_test(NAME ${program} COMMAND ${program})
    install(TARGETS ${program} RUNTIME DESTINATION bin)
  endforeach()
  foreach(facade brightoffice brightoffice_static)
    add_library(consumer_gsoap_flags_${facade} OBJECT "${here}/gsoap_flags.cc")
    target_link_libraries(consumer_gsoap_flags_${facade} PRIVATE brightoffice::${facade})
    target_compile_options(consumer_gsoap_flags_${facade} PRIVATE ${warnings})
  endforeach()
endfunction()
