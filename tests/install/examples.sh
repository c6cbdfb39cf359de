#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# examples.sh MODE PREFIX SOURCE_DIR WORK_DIR [CXX]
#
# Builds examples/minimal and examples/existing_gsoap_app against the BrightOffice installed
# in PREFIX -- MODE `cmake` through find_package(BrightOffice CONFIG), MODE `pkg-config`
# through the pkg-config modules -- and runs them against PREFIX/bin/brightoffice-mock.
# MODE `cmake` also builds minimal against the static facade and runs a test program of
# brightoffice::mock; MODE `pkg-config` also builds minimal with one plain compiler command
# line, as a Makefile would.
source "$(dirname "$0")/common.sh"
mode=$1 prefix=$2 source=$3 work=$4 cxx=${5:-c++}
rm -rf "$work"
mkdir -p "$work"

case "$mode" in
  cmake)      args=(-DCMAKE_PREFIX_PATH="$prefix") ;;
  pkg-config) args=(-DUSE_PKG_CONFIG=ON); export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" ;;
  *) fail "mode: cmake or pkg-config" ;;
esac
# Nothing from the build tree may leak in: only PREFIX and the system.
unset CMAKE_PREFIX_PATH
args+=(-DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)

step "building the examples ($mode)"
configure_and_build "$source/examples/minimal" "$work/minimal" "${args[@]}"
configure_and_build "$source/examples/existing_gsoap_app" "$work/existing_gsoap_app" "${args[@]}"
minimals=("$work/minimal/minimal")
if [ "$mode" = cmake ]; then
  configure_and_build "$source/examples/minimal" "$work/minimal-static" "${args[@]}" -DUSE_STATIC=ON
  minimals+=("$work/minimal-static/minimal")
  readelf -d "$work/minimal-static/minimal" > "$work/minimal-static.dynamic"
  if grep -F 'libbrightoffice' "$work/minimal-static.dynamic"; then fail "the static build needs libbrightoffice.so"; fi
  # The installed brightoffice::mock, in-process.
  configure_and_build "$(dirname "$0")/mock_app" "$work/mock_app" "${args[@]}"
  "$work/mock_app/mock_app" > "$work/mock_app.out" || { cat "$work/mock_app.out" >&2; fail "mock_app"; }
  expect_contains "$work/mock_app.out" "consumer: facade against the in-process mock: SUCCESS (1 request)"
else
  # shellcheck disable=SC2046
  "$cxx" -std=c++17 -o "$work/minimal-cli" "$source/examples/minimal/main.cc" \
    $(pkg-config --cflags --libs brightoffice) -Wl,-rpath,"$prefix/$libdir" || fail "plain pkg-config build"
  minimals+=("$work/minimal-cli")
fi
check_examples "$prefix/bin/brightoffice-mock" "$work" "libbrightoffice.so." \
  "$work/existing_gsoap_app/existing_gsoap_app" "${minimals[@]}"

echo "examples ($mode) OK"
