#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# deb.sh BUILD_DIR SOURCE_DIR WORK_DIR CXX
#
# Builds the .deb packages with CPack, checks their names, dependencies and contents, unpacks
# them (dpkg -x) into a scratch root, and builds and runs examples/minimal against that root
# and its brightoffice-mock.
source "$(dirname "$0")/common.sh"
build=$1 source=$2 work=$3 cxx=$4
rm -rf "$work"
mkdir -p "$work/root"

step "cpack -G DEB"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/debs" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail cpack; }
dev=$(ls "$work"/debs/libbrightoffice-dev_*.deb)
tools=$(ls "$work"/debs/brightoffice-tools_*.deb)

step "package fields and contents"
dpkg-deb -f "$dev" Depends > "$work/dev.depends"
expect_contains "$work/dev.depends" "libgsoap-dev"
expect_contains "$work/dev.depends" "libgsoap-2.8.124"
dpkg-deb -f "$tools" Depends > "$work/tools.depends"
expect_contains "$work/tools.depends" "libgsoap-2.8.124"
dpkg-deb -c "$dev" > "$work/dev.contents"
dpkg-deb -c "$tools" > "$work/tools.contents"
for f in ./usr/include/brightoffice/client.h ./usr/include/brightoffice/gsoap/brightoffice_gsoapBrightOfficeAPISoapProxy.h \
         ./usr/$libdir/cmake/BrightOffice/BrightOfficeConfig.cmake ./usr/$libdir/pkgconfig/brightoffice.pc \
         ./usr/$libdir/libbrightoffice_gsoap_globals.a ./usr/share/doc/libbrightoffice-dev/copyright; do
  expect_contains "$work/dev.contents" " $f"
done
expect_contains "$work/dev.contents" "./usr/$libdir/libbrightoffice.so.0"
expect_contains "$work/tools.contents" " ./usr/bin/brightoffice-mfa"
expect_contains "$work/tools.contents" " ./usr/bin/brightoffice-mock"
if grep -F './usr/bin/' "$work/dev.contents"; then fail "the library package holds programs"; fi

step "dpkg -x into $work/root"
dpkg-deb -x "$dev" "$work/root"
dpkg-deb -x "$tools" "$work/root"

step "examples/minimal against the unpacked packages"
unset CMAKE_PREFIX_PATH
configure_and_build "$source/examples/minimal" "$work/minimal" -DCMAKE_PREFIX_PATH="$work/root/usr" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
# (its RUNPATH: the unpacked library, not another)
check_examples "$work/root/usr/bin/brightoffice-mock" "$work" "$work/root/usr/$libdir" "" "$work/minimal/minimal"

echo "deb packages OK"
