#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# CI smoke test of the benchmarks (ctest label "bench"): every benchmark program runs a few
# calls against the canned server and the mock. Nothing is timed; a failed call fails the test.
#   smoke.sh BIN_DIR MOCK_PATH
set -euo pipefail
bin=$1
mock=$2
here=$(cd "$(dirname "$0")" && pwd)
wsdl="$here/../wsdl/BrightOfficeAPI.wsdl"
. "$here/servers.sh"

start canned "$bin/brightoffice-bench-canned"
canned=$EP
start mock "$mock"
mock_ep=$EP
for ep in "$canned" "$mock_ep"; do
  for client in facade raw_proxy raw_socket; do
    "$bin/brightoffice-bench-load" --client "$client" --endpoint "$ep" --calls 20 --warmup 2
    "$bin/brightoffice-bench-load" --client "$client" --endpoint "$ep" --calls 20 --warmup 2 --newconn
  done
  "$bin/brightoffice-bench-load" --client facade --endpoint "$ep" --calls 40 --warmup 1 --concurrency 4 --json
  # Past 100 calls on one connection, which the mock (like ASMX) then closes: the facade's pool
  # must notice (gSOAP's own liveness poll is skipped since 85b9dc3).
  "$bin/brightoffice-bench-load" --client facade --endpoint "$ep" --calls 250 --warmup 2
done
# Issue 13's measurements (bench/engine_costs.sh): a server that closes after every answer, the
# cold start over HTTPS on a new client, and the canned server's TLS handshake counters.
start canned_close "$bin/brightoffice-bench-canned" --close
for client in facade raw_proxy; do
  "$bin/brightoffice-bench-load" --client "$client" --endpoint "$EP" --calls 20 --warmup 2
done
self_signed_cert "$tmp/server-key.pem" "$tmp/server-cert.pem"
start canned_tls "$bin/brightoffice-bench-canned" --tls-cert "$tmp/server-cert.pem" --tls-key "$tmp/server-key.pem"
tls_ep=$EP
for client in facade raw_proxy; do
  for extra in "" --after-one-call; do
    "$bin/brightoffice-bench-cold-start" --client "$client" --endpoint "$tls_ep" --ca-file "$tmp/server-cert.pem" \
      --callers 4 --repeat 2 $extra
  done
done
"$bin/brightoffice-bench-cold-start" --client facade --endpoint "$canned" --callers 2 --repeat 2 --json
kill -USR1 "${server_pid[canned_tls]}"
for _ in $(seq 1 100); do grep -q '^connections' "$tmp/canned_tls.err" && break; sleep 0.05; done
# Every connection made a TLS handshake, and raw_proxy alone opened 2 x 4 (one proxy per caller).
if ! awk '/^connections/ { ok = $6 >= 8 && $6 == $2 } END { exit !ok }' "$tmp/canned_tls.err"; then
  echo "smoke: the TLS server's counters are wrong: $(cat "$tmp/canned_tls.err")" >&2
  exit 1
fi
echo "TLS server: $(grep '^connections' "$tmp/canned_tls.err" | tail -1)"

"$bin/brightoffice-bench-memory" --endpoint "$canned" --first 10 --total 50
"$bin/brightoffice-bench-memory" --endpoint "$canned" --client raw_proxy --first 10 --total 50
"$bin/brightoffice-bench-micro" --benchmark_min_time=0.001 >"$tmp/micro.txt"
for b in BM_RawProxy_Call BM_Facade_Call; do
  grep -q "^$b " "$tmp/micro.txt" || { cat "$tmp/micro.txt"; echo "smoke: $b missing" >&2; exit 1; }
done
if grep -q "ERROR OCCURRED" "$tmp/micro.txt"; then cat "$tmp/micro.txt"; exit 1; fi
echo "micro-benchmarks ran: $(grep -c '^BM_' "$tmp/micro.txt")"

# The peer clients, when their runtimes are installed (bench/run.sh installs them).
if /usr/bin/python3 -c 'import zeep' 2>/dev/null; then
  /usr/bin/python3 "$here/zeep_client.py" --wsdl "$wsdl" --endpoint "$canned" --calls 5 --warmup 1
else
  echo "smoke: python3-zeep not installed, zeep client skipped"
fi
if command -v node >/dev/null && [ -d "$here/node/node_modules/soap" ]; then
  node "$here/node/client.js" --wsdl "$wsdl" --endpoint "$canned" --calls 5 --warmup 1
else
  echo "smoke: node-soap not installed (npm ci in bench/node), node client skipped"
fi
# The mock's own throughput benchmark (built with the tests, which the smoke test belongs to).
"$bin/mock_throughput" --threads 2 --seconds 0.5
"$bin/mock_throughput" --threads 2 --seconds 0.5 --https --newconn
echo "bench smoke: ok"
