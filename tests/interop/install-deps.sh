#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# Installs what the interop tests need (idempotent):
#   - Debian packages: Mono (runtime, mcs, System.Web, System.Web.Services, System.Data for the
#     large service's typed DataSet) for the real ASMX services, python3-zeep (for
#     /usr/bin/python3), python3-lxml (Makefile.gsoap's WSDL tools), xmllint, curl;
#   - the npm package `soap` (node-soap), pinned by node/package-lock.json, into node/node_modules.
# Only missing Debian packages are installed; `npm ci` runs only when node_modules does not
# match the lock file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

DEB_PACKAGES="mono-runtime mono-mcs libmono-system-web4.0-cil libmono-system-web-services4.0-cil
  libmono-system-data4.0-cil python3-zeep python3-lxml libxml2-utils curl"
# nodejs/npm may come from outside Debian's packages (e.g. a node install on PATH): only ask
# apt for them when there is no working node/npm at all.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  DEB_PACKAGES="$DEB_PACKAGES nodejs npm"
fi
# shellcheck disable=SC2086  # a list of package names
bash "$root/tools/ci/apt-install-missing.sh" --tag install-deps $DEB_PACKAGES

# node-soap: soap@1.13.0 needs Node >= 20.19.0 (its "engines").
node_version="$(node --version | sed 's/^v//')"
need="20.19.0"
if [ "$(printf '%s\n%s\n' "$need" "$node_version" | sort -V | head -n1)" != "$need" ]; then
  echo "install-deps: Node $node_version is older than $need, which the pinned soap@1.13.0 needs" >&2
  exit 1
fi
cd "$here/node"
if [ -f node_modules/.package-lock.json ] && [ -f node_modules/soap/package.json ] \
   && cmp -s <(node -e 'const l=require("./package-lock.json");console.log(JSON.stringify(Object.keys(l.packages).filter(k=>k).sort().map(k=>[k,l.packages[k].version])))') \
             <(node -e 'const l=require("./node_modules/.package-lock.json");console.log(JSON.stringify(Object.keys(l.packages).filter(k=>k).sort().map(k=>[k,l.packages[k].version])))'); then
  echo "install-deps: node_modules matches package-lock.json"
else
  echo "install-deps: npm ci in $here/node"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "install-deps: mono $(mono --version | head -n1 | sed -E 's/.*version ([^ ]+).*/\1/'), mcs $(mcs --version | awk '{print $NF}'), zeep $(/usr/bin/python3 -c 'import zeep; print(zeep.__version__)'), node $(node --version), soap $(node -p 'require("./node_modules/soap/package.json").version')"
