# shellcheck shell=bash
# Sourced by bench/run.sh, bench/engine_costs.sh and bench/smoke.sh: a scratch folder removed at exit, and
# background servers started by name, killed at exit.

tmp=$(mktemp -d)
pids=()
declare -A server_pid=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME CMD...: background server; sets EP to the endpoint it prints on its first line.
# When it exits first, its standard error goes to ours and start fails.
start() {
  local name=$1; shift
  EP=""
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  server_pid[$name]=$!
  for _ in $(seq 1 200); do
    if [ -s "$tmp/$name.out" ]; then EP=$(awk 'NR==1 {print $3}' "$tmp/$name.out"); return 0; fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  cat "$tmp/$name.err" >&2
  return 1
}
