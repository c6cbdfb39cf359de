#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# tools/ci/apt-install-missing.sh [--tag TAG] PKG...: installs those of the Debian packages PKG
# that are not installed (idempotent; the one copy of this loop, for the Makefile's deps,
# tests/interop/install-deps.sh, bench/run.sh and bench/engine_costs.sh).
#   - apt-get update runs only when something is missing;
#   - apt-get waits up to 10 minutes for dpkg's lock (another apt-get running at the same time);
#   - sudo only when not root.
# Its messages and apt-get's output go to stderr (the benchmark scripts print their table on
# stdout). --tag TAG: messages start with "TAG: ", and it also says when nothing was missing.
set -euo pipefail
tag=""
if [ "${1-}" = --tag ]; then tag=$2; shift 2; fi
prefix=""; [ -z "$tag" ] || prefix="$tag: "

missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ -z "$tag" ] || echo "${prefix}Debian packages already installed" >&2
  exit 0
fi

SUDO=()
[ "$(id -u)" = 0 ] || SUDO=(sudo)
if [ -n "$tag" ]; then
  echo "${prefix}installing missing Debian packages: ${missing[*]}" >&2
else
  echo "Installing missing Debian packages: ${missing[*]}" >&2
fi
lock=(-o DPkg::Lock::Timeout=600)
"${SUDO[@]}" apt-get "${lock[@]}" update -qq >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
