# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# Helpers shared by the install tests (sourced).
set -euo pipefail
# The library folder under the prefix (CMAKE_INSTALL_LIBDIR), from ctest.
libdir=${BRIGHTOFFICE_LIBDIR:-lib}
# The CMake (and its ctest, cpack) that built the project (from ctest), not whichever is first on
# PATH.
cmake=${BRIGHTOFFICE_CMAKE:-cmake}
ctest=${BRIGHTOFFICE_CTEST:-ctest}
cpack=${BRIGHTOFFICE_CPACK:-cpack}

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# expect_contains FILE TEXT: FILE holds TEXT (fixed string).
expect_contains() {
  grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "$1 lacks: $2"; }
}

# start_mock MOCK_BINARY RECORD_DIR: starts brightoffice-mock on a free port; sets MOCK_PID
# and MOCK_ENDPOINT (from its first line), and stops it when the script exits.
start_mock() {
  local log="$2.log"
  mkdir -p "$2"
  "$1" --port 0 --record "$2" > "$log" 2>&1 &
  MOCK_PID=$!
  trap 'kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$log"; then
      MOCK_ENDPOINT=$(sed -n '1s/^listening on //p' "$log")
      return 0
    fi
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$log" >&2; fail "brightoffice-mock exited"; }
    sleep 0.1
  done
  fail "brightoffice-mock did not start"
}

# configure_and_build SOURCE BUILD [cmake args...]: a quiet CMake configure + build that shows
# its output only when it fails.
configure_and_build() {
  local src="$1" bin="$2"; shift 2
  rm -rf "$bin"
  if ! { "$cmake" -S "$src" -B "$bin" "$@" && "$cmake" --build "$bin" -j 2; } > "$bin.log" 2>&1; then
    cat "$bin.log" >&2
    fail "building $src"
  fi
}

# installed_files PREFIX: the files and symbolic links under PREFIX, sorted, one a line (a link
# as "PATH -> TARGET").
installed_files() {
  (cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | sort | while IFS= read -r f; do
     if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f"; fi
   done)
}

# check_minimal EXE OUT_FILE: runs examples/minimal against MOCK_ENDPOINT with a right MFA
# code (exit 0, SUCCESS) and a wrong one (exit 3, OTHER).
check_minimal() {
  local exe=$1 out=$2 status=0
  step "$exe: a right code, then a wrong one"
  BRIGHTOFFICE_USERNAME=api-user BRIGHTOFFICE_PASSWORD=api-secret BRIGHTOFFICE_EMAIL=jane.doe@example.com \
    BRIGHTOFFICE_MFA_CODE=123456 "$exe" "$MOCK_ENDPOINT" > "$out" || fail "$exe exited $? for a right code"
  expect_contains "$out" "successCode: SUCCESS"
  expect_contains "$out" "message: MFA confirmed for jane.doe@example.com"
  BRIGHTOFFICE_USERNAME=api-user BRIGHTOFFICE_PASSWORD=api-secret BRIGHTOFFICE_EMAIL=jane.doe@example.com \
    BRIGHTOFFICE_MFA_CODE=000000 "$exe" "$MOCK_ENDPOINT" > "$out" || status=$?
  [ "$status" -eq 3 ] || fail "$exe exited $status for a wrong code, not 3"
  expect_contains "$out" "successCode: OTHER"
}

# check_existing_gsoap_app EXE RECORD_DIR OUT_FILE: runs examples/existing_gsoap_app against
# MOCK_ENDPOINT (a mock started by start_mock with RECORD_DIR): its five checks pass, and the mock
# received its three BrightOffice requests in order (proxy SOAP 1.1, proxy SOAP 1.2, facade).
check_existing_gsoap_app() {
  local exe=$1 record=$2 out=$3 before
  step "$exe"
  before=$(find "$record" -name 'request-*' | wc -l)
  "$exe" "$MOCK_ENDPOINT" > "$out" || { cat "$out" >&2; fail "existing_gsoap_app failed"; }
  cat "$out"
  [ "$(grep -c '^ok: ' "$out")" -eq 5 ] || fail "existing_gsoap_app: not 5 ok lines"
  expect_contains "$out" "2 + 40 = 42"
  mapfile -t requests < <(find "$record" -name 'request-*' | sort | tail -n +"$((before + 1))")
  [ "${#requests[@]}" -eq 3 ] || fail "the mock received ${#requests[@]} requests from existing_gsoap_app, not 3"
  expect_contains "${requests[0]}" "Content-Type: text/xml"
  expect_contains "${requests[0]}" "http://schemas.xmlsoap.org/soap/envelope/"
  expect_contains "${requests[1]}" "Content-Type: application/soap+xml"
  expect_contains "${requests[1]}" "http://www.w3.org/2003/05/soap-envelope"
  expect_contains "${requests[2]}" "Content-Type: text/xml"
  expect_contains "${requests[2]}" "User-Agent: brightoffice-cpp/"
}

# check_examples MOCK WORK_DIR NEEDED EXISTING_GSOAP_APP MINIMAL...: the first MINIMAL's dynamic
# section (readelf -d) names NEEDED (the libbrightoffice it runs with); then MOCK is started
# (start_mock, recording into WORK_DIR/requests), each MINIMAL checked (check_minimal) and, unless
# EXISTING_GSOAP_APP is "", examples/existing_gsoap_app (check_existing_gsoap_app).
check_examples() {
  local mock=$1 work=$2 needed=$3 existing=$4 exe; shift 4
  readelf -d "$1" > "$work/minimal.dynamic"
  expect_contains "$work/minimal.dynamic" "$needed"
  start_mock "$mock" "$work/requests"
  for exe in "$@"; do check_minimal "$exe" "$work/out.txt"; done
  [ -z "$existing" ] || check_existing_gsoap_app "$existing" "$work/requests" "$work/out.txt"
}
