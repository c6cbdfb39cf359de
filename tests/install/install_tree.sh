#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# install_tree.sh BUILD_DIR PREFIX CXX VERSION SOVERSION
#
# `cmake --install` into PREFIX (emptied first), then checks what is there:
#   - exactly the files of expected_files.txt (a new or missing file fails);
#   - every public header compiles on its own and all of them together, -Werror;
#   - the shared facade: its SONAME, and that it exports neither the bindings
#     (brightoffice_gsoap::) nor any global gSOAP symbol, which stay undefined in it;
#   - the globals archive holds one object; the pkg-config modules answer.
source "$(dirname "$0")/common.sh"
build=$1 prefix=$2 cxx=$3 version=$4 soversion=$5
here=$(cd "$(dirname "$0")" && pwd)
work="$prefix.work"
rm -rf "$prefix" "$work"
mkdir -p "$work"

step "cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log" >&2; fail "cmake --install"; }

step "installed files"
installed_files "$prefix" | sed -E 's/Targets-[a-z]+\.cmake$/Targets-CONFIG.cmake/' > "$work/actual.txt"
sed -e "s/@VERSION@/$version/g" -e "s/@SOVERSION@/$soversion/g" -e "s|^lib/|$libdir/|" "$here/expected_files.txt" | sort > "$work/expected.txt"
diff -u "$work/expected.txt" "$work/actual.txt" || fail "installed files differ from tests/install/expected_files.txt"

step "each public header compiles alone, and all together"
gsoap_cflags=$(pkg-config --cflags gsoapssl++)
flags=(-std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Werror -I"$prefix/include")
all="$work/all.cc"
: > "$all"
# compile_alone HEADER [FLAGS...]: a TU of that one #include; also adds it to the all-in-one TU.
compile_alone() {
  local h=$1; shift
  printf '#include <%s>\n' "$h" | tee -a "$all" > "$work/one.cc"
  "$cxx" "${flags[@]}" "$@" "$work/one.cc" || fail "$h does not compile on its own"
}
# The facade's headers need nothing but the C++ library; the generated ones gSOAP's flags.
for h in $(cd "$prefix/include" && find brightoffice -name '*.h' -not -path 'brightoffice/gsoap/*' | sort); do
  compile_alone "$h"
done
# shellcheck disable=SC2086
for h in $(cd "$prefix/include/brightoffice/gsoap" && ls *.h); do
  compile_alone "$h" -I"$prefix/include/brightoffice/gsoap" $gsoap_cflags
done
[ "$(wc -l < "$all")" -eq "$(grep -c '^include/.*\.h$' "$work/expected.txt")" ] || fail "not every installed header was compiled"
# shellcheck disable=SC2086
"$cxx" "${flags[@]}" -I"$prefix/include/brightoffice/gsoap" $gsoap_cflags "$all" || fail "the headers do not compile together"

step "libbrightoffice.so: SONAME, no bindings or gSOAP globals inside"
so="$prefix/$libdir/libbrightoffice.so.$version"
# (outputs go to files first: `cmd | grep -q` can fail on SIGPIPE under pipefail)
readelf -d "$so" > "$work/dynamic.txt"
expect_contains "$work/dynamic.txt" "Library soname: [libbrightoffice.so.$soversion]"
nm -DC --defined-only "$so" | cut -c20- > "$work/exported.txt"
nm -DC --undefined-only "$so" | sed 's/^ *U //' > "$work/undefined.txt"
expect_contains "$work/exported.txt" 'brightoffice::Client::Create('
if grep -E '^((vtable|typeinfo|typeinfo name) for )?brightoffice_gsoap::|^(namespaces|soap_(put|get|serialize)header|soap_header|soap_fault|soap_faultcode)(\(|$)' "$work/exported.txt"; then
  fail "libbrightoffice.so exports binding symbols or gSOAP globals (above)"
fi
# The globals are left to the program (its own, or brightoffice::gsoap_globals).
expect_contains "$work/undefined.txt" 'soap_putheader(soap*)'
expect_contains "$work/undefined.txt" 'soap_faultcode(soap*)'
[ "$(ar t "$prefix/$libdir/libbrightoffice_gsoap_globals.a" | wc -l)" -eq 1 ] || fail "the globals archive must hold exactly one object"

step "CMake package: targets, and the versions it accepts"
# package_check REQUEST: configures package_check/ asking find_package for REQUEST.
package_check() {
  "$cmake" -S "$here/package_check" -B "$work/package_check" -DREQUEST="$1" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > "$work/package_check.log" 2>&1 \
    || { cat "$work/package_check.log" >&2; fail "configuring package_check"; }
}
package_check "$version"
for line in "BrightOffice found=1 version=$version" "target brightoffice::brightoffice SHARED_LIBRARY features=cxx_std_17" \
            "target brightoffice::brightoffice_static STATIC_LIBRARY features=cxx_std_17" \
            "target brightoffice::bindings STATIC_LIBRARY features=cxx_std_17" \
            "target brightoffice::gsoap_globals STATIC_LIBRARY features=cxx_std_17" \
            "target brightoffice::mock STATIC_LIBRARY features=cxx_std_17"; do
  expect_contains "$work/package_check.log" "$line"
done
# The policy of docs/install.md: while the major version is 0, only the same 0.MINOR.
IFS=. read -r major minor _ <<< "$version"
package_check "$major.$minor"
expect_contains "$work/package_check.log" "BrightOffice found=1"
if [ "$major" -eq 0 ]; then newer="0.$((minor + 1))"; else newer="$((major + 1)).0"; fi
package_check "$newer"
expect_contains "$work/package_check.log" "BrightOffice found=0"
if [ "$major" -eq 0 ] && [ "$minor" -gt 0 ]; then
  package_check "0.$((minor - 1))"
  expect_contains "$work/package_check.log" "BrightOffice found=0"
fi

step "pkg-config"
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
[ "$(pkg-config --modversion brightoffice)" = "$version" ] || fail "brightoffice.pc version"
[ "$(pkg-config --modversion brightoffice-bindings)" = "$version" ] || fail "brightoffice-bindings.pc version"
libs=$(pkg-config --libs brightoffice)
[[ "$libs" == *"-lbrightoffice -Wl,--undefined=namespaces -lbrightoffice_gsoap_globals"* ]] || fail "brightoffice.pc Libs: $libs"
[[ "$(pkg-config --cflags brightoffice-bindings)" == *"/include/brightoffice/gsoap"*"-DWITH_OPENSSL"* ]] || fail "brightoffice-bindings.pc Cflags"
[[ "$(pkg-config --libs brightoffice-bindings)" != *gsoap_globals* ]] || fail "brightoffice-bindings.pc must not link the globals"
# <brightoffice/gsoap/policy.h> includes stdsoap2.h: the brightoffice module alone brings gSOAP's flags.
# shellcheck disable=SC2046
"$cxx" -std=c++17 -fsyntax-only -Werror $(pkg-config --cflags brightoffice) "$here/../consumer/gsoap_flags.cc" \
  || fail "brightoffice.pc does not bring gSOAP's compile flags"

echo "install tree OK"
