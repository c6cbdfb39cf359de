#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# The integration tests of a build under valgrind memcheck (ctest label `valgrind`):
#   tests/sanitizers/valgrind.sh BUILD_DIR
# Fails on any memcheck error or definite leak. Not run here: the deadline and concurrency
# tests, which measure timing and parallelism that valgrind's serialised, 20-50x slower
# execution distorts (they run under ASan and TSan instead).
set -euo pipefail
build="${1:?usage: valgrind.sh BUILD_DIR}"
export BRIGHTOFFICE_TIME_SCALE="${BRIGHTOFFICE_TIME_SCALE:-10}"
# The corpus cases that push megabytes through the parser take minutes under valgrind; they
# run in the normal and the ASan builds.
export BRIGHTOFFICE_HOSTILE_SKIP="${BRIGHTOFFICE_HOSTILE_SKIP:-enormous_message,gzip_bomb,huge_header,large_message_within_limit}"
status=0
for t in integration_contract_test integration_wire_test integration_failure_test \
         integration_hostile_test integration_proxy_test integration_tls_test \
         integration_proxy_reconnect_test; do
  echo "== valgrind $t"
  if ! valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
       --errors-for-leak-kinds=definite --track-origins=no --quiet \
       "$build/tests/$t" --no-version; then
    echo "FAILED under valgrind: $t"
    status=1
  fi
done
exit $status
