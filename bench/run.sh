#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# bench/run.sh [--json FILE]: builds what it needs, runs the whole benchmark table in one go
# (about 8 minutes; under 15), prints it, and with --json writes the rows
#   {"client","mode","concurrency","latency_ms","calls_per_s","ratio_to_raw","server", ...}
# where ratio_to_raw is the ratio to raw_proxy (the generated proxy) in the same case and
# ratio_to_raw_socket the ratio to the raw-socket limit. HTTPS is measured against the canned
# server and against brightoffice-mock (--tls-cert/--tls-key), both with a self-signed
# certificate made for the run; should the mock fail to start with TLS, its HTTPS rows say
# "not measured" and why. See bench/README.md.
#
# Environment: BUILD_DIR (default build), BENCH_SECONDS per measurement (default 1.5),
# BENCH_REPEAT rounds of the C++ clients (default 5; each round measures the three back to back,
# in alternating order; calls/s is the median of the rounds, a ratio the median of the rounds'
# ratios), BENCH_CPUS "server,client" CPUs for the pinned/split cases (default "0,1").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json_out=$2; shift 2 ;;
    --json=*) json_out=${1#--json=}; shift ;;
    -h|--help) sed -n "2,14p" "$0"; exit 0 ;;
    *) echo "usage: bench/run.sh [--json FILE]" >&2; exit 2 ;;
  esac
done
case "$json_out" in ""|/*) ;; *) json_out="$PWD/$json_out" ;; esac

BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) build=$BUILD_DIR ;; *) build="$root/$BUILD_DIR" ;; esac
SECONDS_PER=${BENCH_SECONDS:-1.5}
REPEAT=${BENCH_REPEAT:-5}
ROUND=0  # the round a measurement belongs to (0: not in rounds), written into its row
IFS=, read -r server_cpu client_cpu <<<"${BENCH_CPUS:-0,1}"
PY=/usr/bin/python3   # Debian's python, where python3-zeep lives (not a pyenv one on PATH)
wsdl="$root/wsdl/BrightOfficeAPI.wsdl"
started=$(date +%s)

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# --- dependencies (CI machines start clean) ------------------------------------------------------
bash "$root/tools/ci/apt-install-missing.sh" --tag bench libbenchmark-dev python3-zeep util-linux openssl
node_ok=0
if command -v node >/dev/null 2>&1; then
  # soap 1.13.0 needs Node >= 20.19
  if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; then
    if [ ! -d "$here/node/node_modules/soap" ]; then
      log "npm ci in bench/node"
      (cd "$here/node" && npm ci --no-audit --no-fund --silent) >&2 || true
    fi
    [ -d "$here/node/node_modules/soap" ] && node_ok=1
  fi
fi
[ $node_ok = 1 ] || log "node-soap not available (needs Node >= 20.19 and npm): node_soap rows are not measured"

# --- build ---------------------------------------------------------------------------------------
log "building in $build"
cmake -S "$root" -B "$build" -DBRIGHTOFFICE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target brightoffice-bench >/dev/null
bin="$build/bench"
mock="$build/brightoffice-mock"

ncpu=$(nproc)
if [ "$ncpu" -lt 2 ]; then
  log "only one CPU: 'split' cases are run on the same CPU as 'pinned'"
  client_cpu=$server_cpu
fi

. "$here/servers.sh"
rows="$tmp/rows.jsonl"
: >"$rows"

# alive NAME: fails (and logs) when the server started as NAME has exited.
alive() {
  if ! kill -0 "${server_pid[$1]}" 2>/dev/null; then
    log "server $1 has exited: $(tail -c 300 "$tmp/$1.err" 2>/dev/null | tr '\n' ' ')"
    return 1
  fi
}

# measure SERVER MODE CONCURRENCY LATENCY CPU CLIENT ENDPOINT [extra load args]: one JSON row.
# SERVER_NAME (global) names the server process the case runs against.
measure() {
  local server=$1 mode=$2 conc=$3 latency=$4 cpu=$5 client=$6 ep=$7; shift 7
  if ! alive "$SERVER_NAME"; then
    not_measured "$server" "$mode" "$conc" "$latency" "$client" "the server process had exited"
    return 0
  fi
  local pin=()
  [ "$cpu" = free ] || pin=(taskset -c "$cpu")
  local args=(--endpoint "$ep" --concurrency "$conc" --seconds "$SECONDS_PER" --calls 1000000 --json "$@")
  local out ca=()
  # HTTPS: every client trusts the run's self-signed certificate (zeep and node through the
  # environment; REQUESTS_CA_BUNDLE is set on these machines and would override a session's own).
  case "$ep" in https://*) ca=(--ca-file "$tmp/cert.pem") ;; esac
  case "$client" in
    zeep) out=$(REQUESTS_CA_BUNDLE="$tmp/cert.pem" "${pin[@]}" "$PY" "$here/zeep_client.py" --wsdl "$wsdl" "${args[@]}" 2>>"$tmp/errors.log") || true ;;
    node_soap) out=$(NODE_EXTRA_CA_CERTS="$tmp/cert.pem" "${pin[@]}" node "$here/node/client.js" --wsdl "$wsdl" "${args[@]}" 2>>"$tmp/errors.log") || true ;;
    *) out=$("${pin[@]}" "$bin/brightoffice-bench-load" --client "$client" "${args[@]}" "${ca[@]}" 2>>"$tmp/errors.log") || true ;;
  esac
  if [ -z "$out" ]; then out='{"calls_per_s": null, "error": "the client failed; see stderr"}'; fi
  if ! alive "$SERVER_NAME"; then out='{"calls_per_s": null, "error": "the server process exited during the measurement"}'; fi
  "$PY" - "$server" "$mode" "$conc" "$latency" "$client" "$out" "$ROUND" >>"$rows" <<'PYEOF'
import json, sys
server, mode, conc, latency, client, out, rnd = sys.argv[1:]
r = json.loads(out.strip().splitlines()[-1])
row = {"client": client, "mode": mode, "concurrency": int(conc), "latency_ms": int(latency),
       "calls_per_s": r.get("calls_per_s"), "server": server, "round": int(rnd),
       "p50_ms": r.get("p50_ms"), "p99_ms": r.get("p99_ms"), "calls": r.get("calls"), "errors": r.get("errors")}
if r.get("errors"):
    row["note"] = "%d failed calls" % r["errors"]
    if r["errors"] > 0.01 * max(1, r.get("calls") or 0):
        # Failed calls are not throughput: more than 1 % failed makes the figure void.
        row["calls_per_s"] = None
        row["note"] = "not measured: %d of %d calls failed" % (r["errors"], r.get("calls") or 0)
if "error" in r:
    row["note"] = r["error"]
print(json.dumps(row))
PYEOF
  log "$(tail -1 "$rows")"
}

not_measured() {  # SERVER MODE CONCURRENCY LATENCY CLIENT WHY
  "$PY" -c 'import json,sys; s,m,c,l,cl,w=sys.argv[1:]; print(json.dumps({"client":cl,"mode":m,"concurrency":int(c),"latency_ms":int(l),"calls_per_s":None,"server":s,"note":w}))' \
    "$@" >>"$rows"
}

# --- servers: each pinned to the server CPU for the sequential cases -----------------------------
self_signed_cert "$tmp/key.pem" "$tmp/cert.pem"
start canned taskset -c "$server_cpu" "$bin/brightoffice-bench-canned" || exit 1
canned_ep=$EP
start mock taskset -c "$server_cpu" "$mock" || exit 1
mock_ep=$EP
start canned_tls taskset -c "$server_cpu" "$bin/brightoffice-bench-canned" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" \
  || exit 1
canned_tls_ep=$EP
mock_tls_ep=""
if start mock_tls taskset -c "$server_cpu" "$mock" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" \
   && [ "${EP#https://}" != "$EP" ]; then
  mock_tls_ep=$EP
fi
log "canned server $canned_ep and $canned_tls_ep, mock $mock_ep ${mock_tls_ep:+and $mock_tls_ep }(all on CPU $server_cpu)"

native=(raw_socket raw_proxy facade)
peers=(zeep node_soap)
cases=("canned http $canned_ep canned" "mock http $mock_ep mock" "canned https $canned_tls_ep canned_tls")
[ -n "$mock_tls_ep" ] && cases+=("mock https $mock_tls_ep mock_tls")
for c in "${cases[@]}"; do
  read -r server scheme ep SERVER_NAME <<<"$c"
  for conn in keepalive newconn; do
    extra=(); [ $conn = newconn ] && extra=(--newconn)
    for place in pinned split; do
      cpu=$server_cpu; [ $place = split ] && cpu=$client_cpu
      mode="${scheme}_${conn}_${place}"
      # The C++ clients in rounds, back to back within a round (a neighbour's burst hits them
      # alike), in alternating order (no client always runs first): ratios are taken per round.
      for ROUND in $(seq 1 "$REPEAT"); do
        order=("${native[@]}"); [ $((ROUND % 2)) = 0 ] && order=(facade raw_proxy raw_socket)
        for client in "${order[@]}"; do measure "$server" "$mode" 1 0 "$cpu" "$client" "$ep" "${extra[@]}"; done
      done
      ROUND=0
      measure "$server" "$mode" 1 0 "$cpu" zeep "$ep" "${extra[@]}"
      if [ $node_ok = 1 ]; then measure "$server" "$mode" 1 0 "$cpu" node_soap "$ep" "${extra[@]}"
      else not_measured "$server" "$mode" 1 0 node_soap "node-soap not available"; fi
    done
  done
done

# --- 8 callers against a server with 20 ms latency (no pinning) ----------------------------------
start slow "$mock" --latency-ms 20 || exit 1
slow_ep=$EP
SERVER_NAME=slow
log "mock with 20 ms latency: $slow_ep"
for client in "${native[@]}" zeep node_soap; do
  if [ $client = node_soap ] && [ $node_ok != 1 ]; then
    not_measured mock http_keepalive_free 8 20 node_soap "node-soap not available"; continue
  fi
  measure mock http_keepalive_free 8 20 free "$client" "$slow_ep"
done

# --- HTTPS against the mock: only where it serves TLS --------------------------------------------
if [ -z "$mock_tls_ep" ]; then
  why="brightoffice-mock does not serve TLS (--tls-cert/--tls-key): $(head -c 200 "$tmp/mock_tls.err" 2>/dev/null | tr '\n' ' ')"
  log "HTTPS against the mock not measured: $why"
  for conn in keepalive newconn; do
    for place in pinned split; do
      for client in raw_socket raw_proxy facade zeep node_soap; do
        not_measured mock "https_${conn}_${place}" 1 0 "$client" "not measured: $why"
      done
    done
  done
fi

# --- memory: 1,000 and 100,000 calls in one process ------------------------------------------------
memory="$tmp/memory.jsonl"
for client in facade raw_proxy; do
  "$bin/brightoffice-bench-memory" --client "$client" --endpoint "$canned_ep" --first 1000 --total 100000 --json \
    >>"$memory" 2>>"$tmp/errors.log" || log "memory check of $client failed"
done

elapsed=$(( $(date +%s) - started ))
machine="$(uname -srm); $(nproc) CPUs ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$PY" "$here/report.py" --rows "$rows" --memory "$memory" --machine "$machine" --elapsed "$elapsed" \
  --cpus "$server_cpu,$client_cpu" ${json_out:+--json "$json_out"}
if [ -s "$tmp/errors.log" ]; then
  echo; echo "stderr of the clients (last lines):"; sort "$tmp/errors.log" | uniq -c | sort -rn | head -5
fi
