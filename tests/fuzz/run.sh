#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# Builds a libFuzzer target with clang (ASan + UBSan + libFuzzer, in a build folder of its
# own) and runs it for a bounded time on its seeds (ctest label `fuzz`; also callable directly):
#   tests/fuzz/run.sh [BUILD_DIR] [SECONDS] [TARGET]
# defaults: build-fuzz beside the sources, 60, response_fuzzer. Targets:
#   response_fuzzer  the response bytes through the whole facade, seeded from tests/hostile/cases
#                    and tests/fuzz/regressions
#   endpoint_fuzzer  the URL parser (endpoints, proxy URLs), seeded from tests/fuzz/endpoint_seeds
#                    with the tokens of tests/fuzz/endpoint.dict
# Prints libFuzzer's summary ("Done N runs in S second(s)"). A crash, a sanitizer report, a
# leak, a secret shown or a broken promise fails it; the reproducer is left in
# BUILD_DIR/artifacts/. Replay one input: BUILD_DIR/tests/TARGET FILE
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$src/build-fuzz}"
seconds="${2:-60}"
target="${3:-response_fuzzer}"
jobs="$(nproc 2>/dev/null || echo 2)"
cxx="$(command -v clang++ || command -v clang++-14)"
cc="$(command -v clang || command -v clang-14)"
flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -O1 -g -fno-omit-frame-pointer"
cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" -DBRIGHTOFFICE_FUZZER=ON \
  -DBRIGHTOFFICE_TSAN_TEST=OFF -DBRIGHTOFFICE_SANITIZER_TESTS=OFF >/dev/null
cmake --build "$out" -j "$jobs" --target "$target"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
mkdir -p "$out/artifacts"
if [ "$target" = endpoint_fuzzer ]; then
  mkdir -p "$out/corpus-endpoint"
  "$out/tests/endpoint_fuzzer" -runs=0 -artifact_prefix="$out/artifacts/endpoint-" "$src/tests/fuzz/endpoint_seeds"
  exec "$out/tests/endpoint_fuzzer" -max_total_time="$seconds" -max_len=2048 -timeout=20 -print_final_stats=1 \
    -dict="$src/tests/fuzz/endpoint.dict" -artifact_prefix="$out/artifacts/endpoint-" \
    "$out/corpus-endpoint" "$src/tests/fuzz/endpoint_seeds"
fi
# Seeds: the corpus cases' HTTP bytes (without their directive lines), plus what earlier runs
# found (kept in BUILD_DIR/corpus).
mkdir -p "$out/corpus" "$out/seeds"
for f in "$src"/tests/hostile/cases/*.case "$src"/tests/fuzz/regressions/*; do
  [ -f "$f" ] || continue
  case "$f" in
    *.case) sed '1,/^----$/d' "$f" > "$out/seeds/$(basename "$f" .case)" ;;
    *) cp "$f" "$out/seeds/" ;;
  esac
done
# The regressions first, each once; then the bounded run.
"$out/tests/response_fuzzer" -runs=0 -artifact_prefix="$out/artifacts/" "$out/seeds"
exec "$out/tests/response_fuzzer" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
  -timeout=20 -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds"
