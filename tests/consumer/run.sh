#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# run.sh MODE SOURCE_DIR WORK_DIR [CXX]
#
# Builds someone else's project that uses brightoffice from source, as a parent project:
#   MODE fetchcontent  tests/consumer/fetchcontent pulls it in with FetchContent from a git
#                      repository made here of SOURCE_DIR's files as they are now (tracked and
#                      untracked, ignored ones left out), pinned to that repository's commit;
#   MODE subdirectory  tests/consumer/subdirectory adds SOURCE_DIR with add_subdirectory.
# The project's CMakeLists check at configure time that brightoffice added its targets, as the
# installed package names them, and no tests, benchmarks, examples or docs. Then this script
# builds everything, checks that no build type was set and that no option of brightoffice's is
# ON, runs the project's tests (exactly its own three programs, each against the in-process mock)
# and installs it: only its own programs may land in the prefix, as brightoffice has no install
# rules in a parent project.
source "$(dirname "$0")/../install/common.sh"
mode=$1 source=$2 work=$3 cxx=${4:-c++}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
args=(-DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_INSTALL_PREFIX="$work/prefix")

case "$mode" in
  fetchcontent)
    step "a git repository of $source as it is now"
    repo="$work/brightoffice-cpp.git"
    mkdir -p "$repo"
    if git -C "$source" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
      # Tracked files that were deleted are left out (ls-files still lists them).
      while IFS= read -r -d '' f; do
        if [ -e "$source/$f" ] || [ -L "$source/$f" ]; then printf '%s\0' "$f"; fi
      done < <(git -C "$source" ls-files -z --cached --others --exclude-standard) > "$work/files"
      tar -C "$source" --null -T "$work/files" -cf - | tar -C "$repo" -xf -
    else
      tar -C "$source" --exclude=./.git --exclude=./build --exclude='./build-*' -cf - . | tar -C "$repo" -xf -
    fi
    git -C "$repo" init -q
    git -C "$repo" add -A
    git -C "$repo" -c user.name=consumer-test -c user.email=consumer-test@localhost commit -qm snapshot
    args+=(-DBRIGHTOFFICE_GIT_REPOSITORY="$repo" -DBRIGHTOFFICE_GIT_TAG="$(git -C "$repo" rev-parse HEAD)")
    ;;
  subdirectory)
    args+=(-DBRIGHTOFFICE_SOURCE_DIR="$source")
    ;;
  *) fail "mode: fetchcontent or subdirectory" ;;
esac

step "configure (no build type) and build (everything) tests/consumer/$mode"
build="$work/build"
configure_and_build "$here/$mode" "$build" "${args[@]}"
grep '^-- consumer: ' "$build.log"
grep -qx 'CMAKE_BUILD_TYPE:STRING=' "$build/CMakeCache.txt" || fail "a build type was set: $(grep '^CMAKE_BUILD_TYPE' "$build/CMakeCache.txt")"
if grep -E '^BRIGHTOFFICE_(BUILD_TESTS|BUILD_BENCH|BUILD_EXAMPLES|BUILD_DOCS|INSTALL):BOOL=ON' "$build/CMakeCache.txt"; then
  fail "an option is ON in a parent project"
fi
[ ! -e "$build/CPackConfig.cmake" ] || fail "brightoffice configured CPack in a parent project"

step "the consumer's tests: its own three programs, nothing of brightoffice's"
(cd "$build" && "$ctest" -N) > "$work/tests.txt"
expect_contains "$work/tests.txt" "Total Tests: 3"
for t in consumer_shared consumer_static consumer_bindings; do expect_contains "$work/tests.txt" ": $t"; done
(cd "$build" && "$ctest" --output-on-failure -j 2) > "$work/ctest.log" 2>&1 || { cat "$work/ctest.log" >&2; fail "the consumer's tests"; }
expect_contains "$work/ctest.log" "100% tests passed, 0 tests failed out of 3"
readelf -d "$build/consumer_shared" > "$work/shared.dynamic"
expect_contains "$work/shared.dynamic" "libbrightoffice.so."
readelf -d "$build/consumer_static" > "$work/static.dynamic"
if grep -F 'libbrightoffice' "$work/static.dynamic"; then fail "consumer_static needs libbrightoffice.so"; fi

step "cmake --install: the consumer's programs only"
"$cmake" --install "$build" > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "cmake --install"; }
installed_files "$work/prefix" > "$work/installed.txt"
printf '%s\n' bin/consumer_bindings bin/consumer_shared bin/consumer_static > "$work/expected.txt"
diff -u "$work/expected.txt" "$work/installed.txt" || fail "installed files other than the consumer's programs"
if grep -rl --include=cmake_install.cmake 'file(INSTALL' "$build/_deps" "$build/brightoffice" 2> /dev/null; then
  fail "brightoffice has install rules in a parent project (above)"
fi

echo "consumer ($mode) OK"
