#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# Builds (when needed) and starts the real ASMX BrightOffice stand-in on 127.0.0.1.
#
#   tests/interop/asmx/start.sh PORT        PORT 0 picks a free port
#   tests/interop/asmx/start.sh --source FILE.cs --class NS.BrightOfficeAPI PORT
#                                           another service class (e.g. the large service that
#                                           large_service.py writes), compiled together with
#                                           BrightOfficeAPI.cs so that it can reuse its classes;
#                                           served at the same path
#
# Prints "listening on http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx" on stdout once
# the service has answered its own ?WSDL, then runs until it gets SIGTERM/SIGINT (or its
# process group is killed). Needs Debian's mono-runtime, mono-mcs, libmono-system-web4.0-cil
# and libmono-system-web-services4.0-cil (tests/interop/install-deps.sh installs them).
#
# The build goes to $BRIGHTOFFICE_ASMX_SCRATCH (default /tmp/brightoffice-interop-asmx-$UID),
# into a folder named after a hash of the sources, so that servers that run from an older
# build are not disturbed and concurrent starts build once (flock). Each server gets its own
# TMPDIR (ASP.NET writes its "Temporary ASP.NET Files" there), removed when it stops.
set -euo pipefail
usage() { echo "usage: $0 [--source FILE.cs --class NAMESPACE.CLASS] PORT   (0 picks a free port)" >&2; exit 2; }
extra=""
class="BrightOfficeInterop.BrightOfficeAPI"
while [ $# -gt 1 ]; do
  case "$1" in
    --source) extra="$(realpath "$2")"; shift 2 ;;
    --class) class="$2"; shift 2 ;;
    *) usage ;;
  esac
done
if [ $# -ne 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]] || ! [[ "$class" =~ ^[A-Za-z_][A-Za-z0-9_.]*$ ]]; then
  usage
fi
port="$1"
here="$(cd "$(dirname "$0")" && pwd)"
for tool in mono mcs flock sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "start.sh: $tool is not installed (run tests/interop/install-deps.sh)" >&2; exit 1; }
done
for dll in System.Web System.Web.Services System.Data; do
  [ -f "/usr/lib/mono/4.5/$dll.dll" ] || { echo "start.sh: /usr/lib/mono/4.5/$dll.dll is missing (run tests/interop/install-deps.sh)" >&2; exit 1; }
done

scratch="${BRIGHTOFFICE_ASMX_SCRATCH:-/tmp/brightoffice-interop-asmx-$(id -u)}"
mkdir -p "$scratch/tmp"
services=("$here/BrightOfficeAPI.cs")
[ -z "$extra" ] || services+=("$extra")
sources=("${services[@]}" "$here/AsmxHost.cs" "$here/app/web.config" "$here/app/Webservices/BrightOfficeAPI.asmx")
hash="$( (cat "${sources[@]}"; echo "$class") | sha256sum | cut -c1-16)"
app="$scratch/build-$hash/app"
(
  flock 9
  if [ ! -f "$app/bin/.complete" ]; then
    rm -rf "$scratch/build-$hash"
    mkdir -p "$app/bin" "$app/Webservices"
    cp "$here/app/web.config" "$app/"
    # app/Webservices/BrightOfficeAPI.asmx names the default class; another class gets its own.
    sed "s/BrightOfficeInterop\.BrightOfficeAPI,/$class,/" "$here/app/Webservices/BrightOfficeAPI.asmx" \
      > "$app/Webservices/BrightOfficeAPI.asmx"
    mcs -nologo -warnaserror+ -target:library -out:"$app/bin/BrightOfficeInterop.dll" \
      -r:System.Web.dll -r:System.Web.Services.dll -r:System.Xml.dll -r:System.Data.dll "${services[@]}" >&2
    # The host's assembly must sit in the application's bin/: the ASP.NET application domain
    # loads the host type from there.
    mcs -nologo -warnaserror+ -target:exe -out:"$app/bin/BrightOfficeAsmxHost.exe" \
      -r:System.Web.dll "$here/AsmxHost.cs" >&2
    touch "$app/bin/.complete"
    echo "start.sh: built the ASMX service in $app" >&2
  fi
  touch "$scratch/build-$hash"  # in use: kept by the clean-up below of other servers' starts
  # Builds of older sources, unused for an hour.
  find "$scratch" -mindepth 1 -maxdepth 1 -name 'build-*' ! -name "build-$hash" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
) 9>"$scratch/.lock"

# Remove private temp folders of servers that are gone.
for d in "$scratch"/tmp/*; do
  [ -d "$d" ] || continue
  kill -0 "$(basename "$d")" 2>/dev/null || rm -rf "$d"
done
tmp="$scratch/tmp/$$"
mkdir -p "$tmp"
child=""
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
TMPDIR="$tmp" MONO_SHARED_DIR="$tmp" HOME="$tmp" no_proxy='*' NO_PROXY='*' \
  mono "$app/bin/BrightOfficeAsmxHost.exe" "$port" "$app" &
child=$!
wait "$child"
