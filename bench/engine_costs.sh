#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# bench/engine_costs.sh [--json FILE] [--quick]: the "Measured" figures of issue 13 (the call
# engine), before and after a change of the engine, in one table (Markdown, on stdout):
#   1. instructions per call (callgrind over a whole brightoffice-bench-load process against
#      the canned server, (N2 - N1) / (N2 - N1 calls)), facade and raw proxy: HTTP and HTTPS
#      keep-alive, and HTTPS with a new connection per call (the server closes after every answer);
#   2. system calls per call by name (strace -c -f, the same difference), the same cases;
#   3. HTTPS cold start: C callers starting together on a new brightoffice::Client until each
#      has its first answer (brightoffice-bench-cold-start): wall time (median and spread over
#      many repetitions), instructions per cold start (callgrind), reads of the system CA store
#      per cold start (strace), and the server's count of full and resumed TLS handshakes; and
#      new-connection calls per second over HTTPS, 1 and C callers, with the server's handshakes.
# Builds what it needs into BUILD_DIR (default build). Takes about 5 minutes on a quiet 2-CPU VM,
# 10 on a busy one (--quick: about 4, most of it the callgrind cold starts; fewer calls and
# repetitions: for trying the script, not for figures). See bench/README.md, "Engine costs
# (issue 13)".
#
# Environment: BUILD_DIR; CALLERS (default 8); COLD_ROUNDS x COLD_REPEAT repetitions per cold
# start case (default 3 x 10, alternating facade and raw_proxy round by round, each round's first
# repetition (the process's one-time set-up) reported apart); RATE_ROUNDS rounds of RATE_SECONDS
# per new-connection rate (default 5 x 2); N1/N2 calls of the keep-alive differences (300/1300),
# NEW_N1/NEW_N2 of the new-connection ones (100/400).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
json_out=""
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json_out=$2; shift 2 ;;
    --json=*) json_out=${1#--json=}; shift ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n "3,23p" "$0"; exit 0 ;;
    *) echo "usage: bench/engine_costs.sh [--json FILE] [--quick]" >&2; exit 2 ;;
  esac
done
case "$json_out" in ""|/*) ;; *) json_out="$PWD/$json_out" ;; esac

BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) build=$BUILD_DIR ;; *) build="$root/$BUILD_DIR" ;; esac
CALLERS=${CALLERS:-8}
if [ $quick = 1 ]; then
  COLD_ROUNDS=${COLD_ROUNDS:-1}; COLD_REPEAT=${COLD_REPEAT:-3}; RATE_ROUNDS=${RATE_ROUNDS:-1}
  RATE_SECONDS=${RATE_SECONDS:-0.5}; N1=${N1:-20}; N2=${N2:-120}; NEW_N1=${NEW_N1:-10}; NEW_N2=${NEW_N2:-40}
fi
COLD_ROUNDS=${COLD_ROUNDS:-3}
COLD_REPEAT=${COLD_REPEAT:-10}
RATE_ROUNDS=${RATE_ROUNDS:-5}
RATE_SECONDS=${RATE_SECONDS:-2}
N1=${N1:-300}
N2=${N2:-1300}
NEW_N1=${NEW_N1:-100}
NEW_N2=${NEW_N2:-400}
PY=/usr/bin/python3
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

log() { echo "[engine-costs $(date -u +%H:%M:%S)] $*" >&2; }

# --- dependencies (Makefile's DEB_PACKAGES lists them too, but util-linux; `make deps` would --------
# install much more)
bash "$root/tools/ci/apt-install-missing.sh" --tag engine-costs valgrind strace openssl util-linux python3 libbenchmark-dev

# --- build ---------------------------------------------------------------------------------------
log "building in $build"
cmake -S "$root" -B "$build" -DBRIGHTOFFICE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)" \
  --target brightoffice-bench-load brightoffice-bench-canned brightoffice-bench-cold-start >/dev/null
bin="$build/bench"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")

. "$here/servers.sh"
rec="$tmp/records.jsonl"
: >"$rec"

# server_stats NAME: "connections requests tls_handshakes tls_resumed" of a canned server so far
# (it prints them on SIGUSR1).
server_stats() {
  local f="$tmp/$1.err" n
  n=$(grep -c '^connections' "$f" || true)
  kill -USR1 "${server_pid[$1]}"
  for _ in $(seq 1 250); do
    [ "$(grep -c '^connections' "$f" || true)" -gt "$n" ] && break
    sleep 0.02
  done
  grep '^connections' "$f" | tail -1 | awk '{print $2, $4, $6, $8}'
}

record() { echo "$1" >>"$rec"; }

# callgrind_total CMD...: instructions executed by the whole process (all threads).
callgrind_total() {
  local out="$tmp/callgrind.out"
  rm -f "$out"
  if ! valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$tmp/cg.stdout" 2>"$tmp/cg.stderr"; then
    log "failed under callgrind: $* ($(grep -v '^==' "$tmp/cg.stderr" | tail -2 | tr '\n' ' '))"
    echo null
    return 0
  fi
  local total
  total=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$out" | head -1)
  echo "${total:-null}"
}

# strace_counts FILE CMD...: strace -c -f of CMD into FILE; fails when CMD fails.
strace_counts() {
  local file=$1; shift
  strace -c -f -o "$file" "$@" >/dev/null 2>"$tmp/st.stderr" || {
    log "failed under strace: $* ($(tail -2 "$tmp/st.stderr" | tr '\n' ' '))"
    return 1
  }
}

# --- servers ---------------------------------------------------------------------------------------
self_signed_cert "$tmp/server-key.pem" "$tmp/server-cert.pem"
ca="$tmp/server-cert.pem"
start http "$bin/brightoffice-bench-canned" || exit 1
http_ep=$EP
start https "$bin/brightoffice-bench-canned" --tls-cert "$ca" --tls-key "$tmp/server-key.pem" || exit 1
https_ep=$EP
start https_close "$bin/brightoffice-bench-canned" --tls-cert "$ca" --tls-key "$tmp/server-key.pem" --close || exit 1
https_close_ep=$EP
log "canned servers: $http_ep, $https_ep, $https_close_ep (closes after every answer)"

# The file OpenSSL's default verify paths read (SSL_CTX_set_default_verify_paths): the system
# CA store whose reading issue 13 is about.
ca_store=${SSL_CERT_FILE:-$(openssl version -d | sed 's/^[^"]*"\(.*\)"$/\1/')/cert.pem}

# case name -> endpoint, calls (N1 N2), extra load arguments
cases=("http_keepalive $http_ep $N1 $N2" "https_keepalive $https_ep $N1 $N2" "https_newconn $https_close_ep $NEW_N1 $NEW_N2")

# --- 1. instructions per call ------------------------------------------------------------------------
for c in "${cases[@]}"; do
  read -r name ep n1 n2 <<<"$c"
  for client in facade raw_proxy; do
    args=(--client "$client" --endpoint "$ep" --warmup 0 --seconds 1000)
    case "$ep" in https://*) args+=(--ca-file "$ca") ;; esac
    log "callgrind: $client $name ($n1 and $n2 calls)"
    i1=$(callgrind_total "$bin/brightoffice-bench-load" "${args[@]}" --calls "$n1")
    i2=$(callgrind_total "$bin/brightoffice-bench-load" "${args[@]}" --calls "$n2")
    record "{\"kind\": \"instr\", \"case\": \"$name\", \"client\": \"$client\", \"n1\": $n1, \"n2\": $n2, \"i1\": $i1, \"i2\": $i2}"
  done
done

# --- 2. system calls per call ------------------------------------------------------------------------
for c in "${cases[@]}"; do
  read -r name ep n1 n2 <<<"$c"
  for client in facade raw_proxy; do
    args=(--client "$client" --endpoint "$ep" --warmup 0 --seconds 1000)
    case "$ep" in https://*) args+=(--ca-file "$ca") ;; esac
    log "strace: $client $name ($n1 and $n2 calls)"
    if strace_counts "$tmp/st1" "$bin/brightoffice-bench-load" "${args[@]}" --calls "$n1" &&
       strace_counts "$tmp/st2" "$bin/brightoffice-bench-load" "${args[@]}" --calls "$n2"; then
      "$PY" - "$name" "$client" "$n1" "$n2" "$tmp/st1" "$tmp/st2" >>"$rec" <<'PYEOF'
import json, sys
name, client, n1, n2, f1, f2 = sys.argv[1:]
def counts(path):
    out = {}
    for line in open(path):
        f = line.split()
        # "% time  seconds  usecs/call  calls  [errors]  syscall"
        if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
            out[f[-1]] = int(f[3])
    return out
a, b = counts(f1), counts(f2)
print(json.dumps({"kind": "syscalls", "case": name, "client": client, "n1": int(n1), "n2": int(n2),
                  "c1": a, "c2": b}))
PYEOF
    fi
  done
done

# --- 3a. cold start: instructions and CA store reads per cold start ------------------------------------
# Instructions only for a new client: after one call, which callers reuse the one pooled connection
# (instead of opening their own) depends on the scheduling, so the count is not steady there.
for scenario in new after_one_call; do
  extra=(); [ $scenario = after_one_call ] && extra=(--after-one-call)
  for client in facade raw_proxy; do
    args=(--client "$client" --endpoint "$https_ep" --ca-file "$ca" --callers "$CALLERS" "${extra[@]}")
    i1=null i2=null
    if [ $scenario = new ]; then
      log "callgrind: cold start $client $scenario (1 and 2 repetitions)"
      # Under valgrind the threads run one at a time: a long timeout, so no call ends at the deadline.
      i1=$(callgrind_total "$bin/brightoffice-bench-cold-start" "${args[@]}" --repeat 1 --timeout-ms 900000)
      i2=$(callgrind_total "$bin/brightoffice-bench-cold-start" "${args[@]}" --repeat 2 --timeout-ms 900000)
    fi
    log "strace: CA store reads, cold start $client $scenario (5 repetitions)"
    strace -f -e trace=openat -o "$tmp/openat" "$bin/brightoffice-bench-cold-start" "${args[@]}" --repeat 5 >/dev/null 2>&1 || true
    reads=$(grep -cF "\"$ca_store\"" "$tmp/openat" || true)
    record "{\"kind\": \"cold_cost\", \"scenario\": \"$scenario\", \"client\": \"$client\", \"i1\": $i1, \"i2\": $i2, \"ca_reads\": $reads, \"ca_reads_reps\": 5}"
  done
done

# --- 3b. cold start: wall time ---------------------------------------------------------------------------
for scenario in new after_one_call; do
  extra=(); [ $scenario = after_one_call ] && extra=(--after-one-call)
  for round in $(seq 1 "$COLD_ROUNDS"); do
    order=(facade raw_proxy); [ $((round % 2)) = 0 ] && order=(raw_proxy facade)
    for client in "${order[@]}"; do
      log "cold start $client $scenario, round $round ($COLD_REPEAT repetitions + 1)"
      before=$(server_stats https)
      out=$("$bin/brightoffice-bench-cold-start" --client "$client" --endpoint "$https_ep" --ca-file "$ca" \
              --callers "$CALLERS" --repeat $((COLD_REPEAT + 1)) --json "${extra[@]}" 2>>"$tmp/errors.log") || true
      after=$(server_stats https)
      [ -n "$out" ] || out='{"error": "the cold-start program failed"}'
      record "{\"kind\": \"cold_wall\", \"scenario\": \"$scenario\", \"client\": \"$client\", \"round\": $round, \"stats_before\": \"$before\", \"stats_after\": \"$after\", \"result\": $out}"
    done
  done
done

# --- 3c. new-connection calls per second (the server closes after every answer) -------------------------
for callers in 1 "$CALLERS"; do
  for round in $(seq 1 "$RATE_ROUNDS"); do
    order=(facade raw_proxy); [ $((round % 2)) = 0 ] && order=(raw_proxy facade)
    for client in "${order[@]}"; do
      before=$(server_stats https_close)
      out=$("$bin/brightoffice-bench-load" --client "$client" --endpoint "$https_close_ep" --ca-file "$ca" \
              --concurrency "$callers" --seconds "$RATE_SECONDS" --calls 100000000 --warmup 5 --json 2>>"$tmp/errors.log") || true
      after=$(server_stats https_close)
      [ -n "$out" ] || out='{"error": "the load program failed"}'
      log "new connections: $client, $callers callers, round $round: $out"
      record "{\"kind\": \"rate\", \"client\": \"$client\", \"callers\": $callers, \"round\": $round, \"stats_before\": \"$before\", \"stats_after\": \"$after\", \"result\": $out}"
    done
  done
done

# --- report ------------------------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
machine="$(uname -srm); $(nproc) CPUs ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)); $(valgrind --version), $(strace -V | head -1), $(openssl version)"
"$PY" - "$rec" "$commit" "$machine" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(( $(date +%s) - started ))" \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$build_type" "$CALLERS" "$ca_store" "$quick" "$json_out" <<'PYEOF'
import json, statistics, sys
rec_path, commit, machine, load_start, load_end, elapsed, date, build_type, callers, ca_store, quick, json_out = sys.argv[1:]
records = [json.loads(l) for l in open(rec_path) if l.strip()]
callers = int(callers)
CASES = {"http_keepalive": "HTTP keep-alive", "https_keepalive": "HTTPS keep-alive",
         "https_newconn": "HTTPS, server closes after every answer"}
NOT_PER_CALL = {"futex", "sched_yield"}  # the load tool's start barrier and thread join

def fmt(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"

def per_call(r):
    if r.get("i1") is None or r.get("i2") is None:
        return None
    return (r["i2"] - r["i1"]) / (r["n2"] - r["n1"])

print(f"## Engine costs (issue 13): commit {commit}, {date}")
print()
print(f"Machine: {machine}; build type {build_type}. Load average {load_start} at the start, {load_end} at the end; "
      f"{int(elapsed) // 60} min {int(elapsed) % 60} s." + (" **--quick run: too few calls and repetitions for figures.**" if quick == "1" else ""))
print()

# 1
instr = {(r["case"], r["client"]): per_call(r) for r in records if r["kind"] == "instr"}
print("### 1. Instructions per call (callgrind, whole `brightoffice-bench-load` process, (N2 - N1) / (N2 - N1) calls)")
print()
print("| case | N1 / N2 | facade | raw_proxy | facade / raw_proxy |")
print("|---|---|---:|---:|---:|")
for case, label in CASES.items():
    f, r = instr.get((case, "facade")), instr.get((case, "raw_proxy"))
    ns = next((f"{x['n1']} / {x['n2']}" for x in records if x["kind"] == "instr" and x["case"] == case), "")
    ratio = f"{f / r:.3f}" if f and r else "n/a"
    print(f"| {label} | {ns} | {fmt(f)} | {fmt(r)} | {ratio} |")
print()

# 2
print("### 2. System calls per call (`strace -c -f`, the same difference of two whole load processes)")
print()
rows, names = [], set()
for r in records:
    if r["kind"] != "syscalls":
        continue
    d = {}
    for name in set(r["c1"]) | set(r["c2"]):
        if name in NOT_PER_CALL:
            continue
        v = (r["c2"].get(name, 0) - r["c1"].get(name, 0)) / (r["n2"] - r["n1"])
        if abs(v) >= 0.005:
            d[name] = v
    names |= set(d)
    rows.append((r["case"], r["client"], d))
order = ["poll", "ppoll", "select", "pselect6", "sendto", "send", "write", "recvfrom", "recv", "read"]
cols = [n for n in order if n in names] + sorted(names - set(order))
print("| case | client | total | " + " | ".join(cols) + " |")
print("|---|---|---:|" + "---:|" * len(cols))
for case, client, d in rows:
    print(f"| {CASES[case]} | {client} | {sum(d.values()):.2f} | " +
          " | ".join(f"{d[n]:.2f}" if n in d else "" for n in cols) + " |")
print()
print("Per call; names below 0.005 per call left out; `futex` and `sched_yield` left out (the load tool's "
      "thread start and join, not the call path; their counts vary from run to run).")
print()

# 3
def stats_diff(r):
    try:
        b = [int(x) for x in r["stats_before"].split()]
        a = [int(x) for x in r["stats_after"].split()]
        return [y - x for x, y in zip(b, a)]
    except (ValueError, KeyError):
        return None

print(f"### 3. HTTPS cold start: {callers} callers starting together on a new client, until each has its first answer")
print()
print("| client | scenario | wall ms: median | p25 - p75 | min - max | n | first in process (median) | "
      "instructions per cold start | system CA store reads per cold start | TLS handshakes per cold start: full / resumed (server) |")
print("|---|---|---:|---|---|---:|---:|---:|---:|---|")
SCEN = {"new": "new client", "after_one_call": "new client after one call"}
for scenario in ("new", "after_one_call"):
    for client in ("facade", "raw_proxy"):
        walls, firsts, failed, hs, res, reps, errors = [], [], 0, 0, 0, 0, []
        for r in records:
            if r["kind"] == "cold_wall" and r["scenario"] == scenario and r["client"] == client:
                res_ = r["result"]
                if "error" in res_:
                    errors.append(res_["error"]); continue
                walls += res_["all_ms"]; firsts.append(res_["first_in_process_ms"]); failed += res_["failed_calls"]
                d = stats_diff(r)
                if d:
                    hs += d[2]; res += d[3]; reps += res_["repetitions"] + 1
        cost = next((x for x in records if x["kind"] == "cold_cost" and x["scenario"] == scenario and x["client"] == client), None)
        ipc = "-" if scenario != "new" else "n/a"
        if cost and cost["i1"] is not None and cost["i2"] is not None:
            ipc = fmt(cost["i2"] - cost["i1"])
        ca = f"{cost['ca_reads'] / cost['ca_reads_reps']:.1f}" if cost else "n/a"
        if walls:
            walls.sort()
            q = statistics.quantiles(walls, n=4) if len(walls) > 1 else [walls[0]] * 3
            wall = (f"{statistics.median(walls):.1f} | {q[0]:.1f} - {q[2]:.1f} | {walls[0]:.1f} - {walls[-1]:.1f} | "
                    f"{len(walls)} | {statistics.median(firsts):.1f}")
        else:
            wall = "n/a | | | 0 | "
        hsf = f"{(hs - res) / reps:.1f} / {res / reps:.1f}" if reps else "n/a"
        note = f" ({failed} failed calls)" if failed else ""
        note += f" ({'; '.join(errors)})" if errors else ""
        print(f"| {client} | {SCEN[scenario]}{note} | {wall} | {ipc} | {ca} | {hsf} |")
print()
print(f"Wall time: from the release of the callers to the last answer; the first repetition of each process is "
      f"left out (reported as \"first in process\"), facade and raw_proxy alternate round by round. "
      f"Instructions: callgrind, (2 repetitions - 1 repetition) of `brightoffice-bench-cold-start`. "
      f"CA store reads: `openat` of `{ca_store}` (strace -f, mean of 5 repetitions). \"After one call\": the new "
      f"client has made one call alone before the {callers} callers start (its first pooled connection exists); "
      f"its handshakes and CA reads count that call too; there the number of new pooled connections (and so "
      f"of CA reads) depends on whether a caller finds another's connection released, and its instruction "
      f"count (not measured, \"-\") is not steady.")
print()

print(f"### New-connection calls per second over HTTPS (the server closes the connection after every answer)")
print()
print("| client | callers | calls/s: median | min - max | rounds | TLS handshakes: full / resumed (server, whole runs) |")
print("|---|---:|---:|---|---:|---|")
for n in sorted({r["callers"] for r in records if r["kind"] == "rate"}):
    for client in ("facade", "raw_proxy"):
        vals, hs, res, errs = [], 0, 0, []
        for r in records:
            if r["kind"] == "rate" and r["callers"] == n and r["client"] == client:
                x = r["result"]
                if "error" in x or x.get("errors"):
                    errs.append(x.get("error") or f"{x['errors']} failed calls"); continue
                vals.append(x["calls_per_s"])
                d = stats_diff(r)
                if d:
                    hs += d[2]; res += d[3]
        if vals:
            print(f"| {client} | {n} | {statistics.median(vals):,.0f} | {min(vals):,.0f} - {max(vals):,.0f} | {len(vals)} | "
                  f"{hs - res} / {res} |" + (f" ({'; '.join(errs)})" if errs else ""))
        else:
            print(f"| {client} | {n} | n/a | | 0 | | {'; '.join(errs)}")
print()
print("Wall-clock figures depend on what else the machine runs: compare within one run, facade against "
      "raw_proxy, and read the spread; the instruction and system-call counts are the steady ones.")
if json_out:
    with open(json_out, "w") as f:
        json.dump({"commit": commit, "date": date, "machine": machine, "records": records}, f, indent=1)
PYEOF
if [ -s "$tmp/errors.log" ]; then
  echo; echo "stderr of the clients (last lines):"; sort "$tmp/errors.log" | uniq -c | sort -rn | head -5
fi
