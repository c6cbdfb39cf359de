#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# The concurrency test built with ThreadSanitizer, in a build folder of its own (ctest label
# `tsan`; also callable from CI directly):
#   tests/tsan/run.sh [BUILD_DIR]          default BUILD_DIR: build-tsan beside the sources
# Builds only what that one test needs (-O1 -g -fsanitize=thread) and runs it with fewer calls
# per thread (BRIGHTOFFICE_CALLS_PER_THREAD, default 100 here) to stay cheap. Any report fails.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$src/build-tsan}"
jobs="$(nproc 2>/dev/null || echo 2)"
flags="-fsanitize=thread -O1 -g -fno-omit-frame-pointer"
cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build "$out" -j "$jobs" --target integration_concurrency_test
export BRIGHTOFFICE_CALLS_PER_THREAD="${BRIGHTOFFICE_CALLS_PER_THREAD:-100}"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
exec "$out/tests/integration_concurrency_test"
