# shellcheck shell=bash
# Sourced by bench/run.sh, bench/engine_costs.sh and bench/smoke.sh: a scratch folder removed
# at exit, a self-signed certificate for the TLS servers, and background servers started by
# name (their pids in server_pid), killed at exit.

tmp=$(mktemp -d)
declare -A server_pid=()
cleanup() {
  for p in "${server_pid[@]}"; do kill "$p" 2>/dev/null || true; done
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
  server_pid[$name]=$!
  for _ in $(seq 1 200); do
    if [ -s "$tmp/$name.out" ]; then EP=$(awk 'NR==1 {print $3}' "$tmp/$name.out"); return 0; fi
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    sleep 0.05
  done
  cat "$tmp/$name.err" >&2
  return 1
}

# self_signed_cert KEY CERT: a key and a certificate for 127.0.0.1 (the servers' address).
self_signed_cert() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$1" -out "$2" >/dev/null 2>&1
}
